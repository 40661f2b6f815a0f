"""Themes from the thesaurus in four languages, page by page, with their evidence."""

import pytest

from indexer.enrich.themes import ThemeLexicon, ThemeRule, ThemeVote

PAGES = {
    "en": "Employers hire skilled immigrants; mentoring helps newcomers find a job and employment in their profession.",
    "de": "Arbeitgeber stellen qualifizierte Zugewanderte ein; Mentoring hilft bei der Arbeitssuche und Beschäftigung.",
    "es": "Los empleadores contratan a inmigrantes cualificados; la mentoría ayuda a encontrar empleo y trabajo.",
    "fr": "Les employeurs recrutent des immigrés qualifiés ; le mentorat aide à trouver un emploi et du travail.",
}
HOUSING = {
    "en": "Affordable housing and social housing in every neighbourhood; tenants pay a fair rent.",
    "es": "Vivienda asequible y vivienda social en cada barrio; los inquilinos pagan un alquiler justo.",
}


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_work_is_recognised_in_each_language(lang):
    vote = ThemeVote()
    vote.add_page(1, PAGES[lang], lang, ThemeLexicon.load())
    assert vote.themes()[0] == "Work"
    assert "score" in vote.evidence("Work") and "pages 1" in vote.evidence("Work")


def test_a_long_document_is_judged_page_by_page():
    vote, lexicon = ThemeVote(), ThemeLexicon.load()
    for number in range(1, 4):
        vote.add_page(number, PAGES["en"], "en", lexicon)
    vote.add_page(4, HOUSING["en"], "en", lexicon)
    vote.add_page(5, HOUSING["es"], "es", lexicon)
    assert vote.themes() == ["Work", "Live"], "a chapter on housing adds Live after the main theme"
    assert vote.pages["Live"] == [4, 5]


def test_a_page_with_too_few_matches_does_not_vote():
    vote = ThemeVote()
    vote.add_page(1, "A short note about a job.", "en", ThemeLexicon.load())
    assert vote.themes() == []


def test_a_label_of_a_concept_with_two_themes_counts_for_both():
    lexicon = ThemeLexicon.load()
    found = lexicon.matches("The credit union opened a basic bank account for every member.", "en")
    assert {"Work", "Live"} <= {theme for theme, _ in found}


def test_a_word_sharing_a_labels_stem_is_not_the_label():
    # Snowball stems "international" and "intern" alike; "internationally" is not an internship.
    lexicon = ThemeLexicon.load()
    assert lexicon.matches("An international network of international partners works internationally.", "en") == []
    assert {theme for theme, _ in lexicon.matches("Two interns and the internships they found.", "en")} == {"Work"}
    assert {theme for theme, _ in lexicon.matches("Employers employed them.", "en")} == {"Work"}


def test_city_to_city_learning_exchange_connects_cities_and_informs_their_policy():
    # As the collection's labels have it: texts about cities learning from one another are Connect and Plan.
    found = ThemeLexicon.load().matches("A learning exchange and peer learning between cities.", "en")
    assert {theme for theme, _ in found} == {"Connect", "Plan"}


POLICY = "Municipal policy and local government strategy: the city council adopted an integration policy."


def test_a_chapter_of_its_own_gives_a_report_the_second_theme_its_scores_leave_empty():
    lexicon = ThemeLexicon.load()
    vote = ThemeVote()
    for number in range(1, 9):
        vote.add_page(number, POLICY, "en", lexicon)
    for number in (9, 10):
        vote.add_page(number, PAGES["en"], "en", lexicon)
    assert vote.scores["Work"] < 0.45 * vote.scores["Plan"], "two pages of ten are too few for the scores"
    assert vote.themes() == ["Plan", "Work"], "the two pages on jobs are the report's second subject"
    assert vote.evidence("Work").endswith("(pages 9, 10; leads 9, 10)")
    assert vote.judged(ThemeRule(chapter_pages=0)).themes() == ["Plan"], "without the rule: by score alone"
    assert vote.judged(ThemeRule(chapter_pages=3)).themes() == ["Plan"], "two pages are not three"


def test_a_chapter_comes_after_the_themes_the_scores_keep():
    # A policy report whose framing words of another theme ("community", "volunteers") are on every page.
    lexicon = ThemeLexicon.load()
    policy = (
        "The city council adopted an integration policy and a local government strategy "
        "with community groups, volunteers, neighbours and the community."
    )
    vote = ThemeVote()
    for number in range(1, 9):
        vote.add_page(number, policy, "en", lexicon)
    for number in (9, 10):
        vote.add_page(number, PAGES["en"], "en", lexicon)
    assert vote.scores["Connect"] >= 0.45 * vote.scores["Plan"]
    assert vote.themes() == ["Plan", "Connect"]
    assert "only 2 themes are given, and Plan, Connect came first" in vote.rejected()["Work"]
    assert vote.judged(ThemeRule(chapter_first=True)).themes() == ["Plan", "Work"], "the form bench rejects"


def test_one_page_is_not_a_chapter_and_a_theme_behind_says_how_far():
    lexicon = ThemeLexicon.load()
    vote = ThemeVote()
    for number in range(1, 10):
        vote.add_page(number, POLICY, "en", lexicon)
    vote.add_page(10, PAGES["en"], "en", lexicon)
    assert vote.themes() == ["Plan"]
    why = vote.rejected()["Work"]
    assert why.startswith("behind the best theme (needs 45% of its score, or to lead 2 pages: it leads 1)")
    assert vote.judged(ThemeRule(second_share=0.1)).themes() == ["Plan", "Work"], "a rule judges the same pages again"
