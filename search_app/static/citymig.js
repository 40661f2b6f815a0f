// Progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The sort menu applies itself.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // "Show all" expands a long facet list in place.
    document.querySelectorAll("[data-show-all]").forEach(function (link) {
      var list = document.getElementById(link.getAttribute("data-show-all"));
      if (!list) return;
      var more = link.textContent, less = link.getAttribute("data-less");
      link.setAttribute("role", "button");
      link.setAttribute("aria-expanded", "false");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var open = link.getAttribute("aria-expanded") !== "true";
        list.querySelectorAll("li[data-extra]").forEach(function (li) { li.hidden = !open; });
        link.setAttribute("aria-expanded", open ? "true" : "false");
        link.textContent = open ? less : more;
      });
    });

    // A filter box above long facet lists (cities): type to narrow the list.
    document.querySelectorAll("ul[data-facet-filter]").forEach(function (list, index) {
      var id = "facet-filter-" + index;
      var label = document.createElement("label");
      label.className = "visually-hidden";
      label.htmlFor = id;
      label.textContent = list.getAttribute("data-facet-filter");
      var input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.className = "facet-filter";
      input.placeholder = list.getAttribute("data-facet-filter") + "…";
      input.setAttribute("aria-controls", list.id);
      list.parentNode.insertBefore(label, list);
      list.parentNode.insertBefore(input, list);
      var toggle = list.parentNode.querySelector("[data-show-all]");
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLocaleLowerCase();
        var expanded = toggle && toggle.getAttribute("aria-expanded") === "true";
        list.querySelectorAll("li").forEach(function (li) {
          var text = (li.querySelector(".facet-label") || li).textContent.toLocaleLowerCase();
          if (needle) li.hidden = text.indexOf(needle) === -1;
          else li.hidden = li.hasAttribute("data-extra") && !expanded;
        });
        if (toggle) toggle.hidden = !!needle;
      });
    });
  });
})();
