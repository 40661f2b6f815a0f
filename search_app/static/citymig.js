// Progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The sort and per-page menus apply themselves when a choice is made: a click, Enter, or leaving the menu
    // after arrowing to an option. Arrow keys alone only move through the options, so a keyboard user can choose.
    document.querySelectorAll("form[data-apply-on-choice]").forEach(function (form) {
      var button = form.querySelector("button[type=submit]");
      if (button) button.classList.add("js-hide");
      form.querySelectorAll("select").forEach(function (select) {
        var chosen = select.value, keyed = false;
        function apply() { if (select.value !== chosen) form.submit(); }
        select.addEventListener("keydown", function (event) {
          keyed = true;
          if (event.key === "Enter") { event.preventDefault(); apply(); }
        });
        select.addEventListener("pointerdown", function () { keyed = false; });
        select.addEventListener("change", function () { if (!keyed) apply(); });
        select.addEventListener("blur", apply);
      });
    });

    // Narrow screens: the filters come after the results, folded; "Filters" unfolds them and goes there.
    var facets = document.getElementById("facets"), body = document.getElementById("facets-body");
    var narrow = window.matchMedia("(max-width: 60rem)");
    if (facets && body) {
      var heading = facets.querySelector(".facets-title");
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "facets-toggle";
      toggle.setAttribute("aria-controls", "facets-body");
      toggle.textContent = heading.textContent;
      function fold(open) {
        body.hidden = !open;
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      }
      function layout() {
        if (narrow.matches) {
          if (!toggle.parentNode) { heading.textContent = ""; heading.appendChild(toggle); }
          fold(false);
        } else {
          if (toggle.parentNode) { heading.removeChild(toggle); heading.textContent = toggle.textContent; }
          body.hidden = false;
        }
      }
      toggle.addEventListener("click", function () { fold(body.hidden); });
      layout();
      narrow.addEventListener("change", layout);
      document.querySelectorAll("[data-filters-jump]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          if (narrow.matches) fold(true);
          facets.scrollIntoView();
          (narrow.matches ? toggle : facets).focus();
          if (history.replaceState) history.replaceState(null, "", "#facets");
        });
      });
    }

    // Copy buttons (the Cite box): shown only where the clipboard can be written.
    if (navigator.clipboard) {
      document.querySelectorAll("button[data-copy]").forEach(function (button) {
        var label = button.textContent;
        button.hidden = false;
        button.addEventListener("click", function () {
          var source = document.getElementById(button.getAttribute("data-copy"));
          navigator.clipboard.writeText(source.textContent.trim()).then(function () {
            button.textContent = button.getAttribute("data-copied");
            setTimeout(function () { button.textContent = label; }, 2000);
          });
        });
      });
    }

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
