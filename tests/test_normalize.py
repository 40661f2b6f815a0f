"""Normalisation: NFKC, hyphens joined only with evidence, running headers and footers removed."""

from indexer.ingest.normalize import Vocabulary, line_signature, nfkc, normalize_page


def vocabulary_of(*pages: str) -> Vocabulary:
    vocabulary = Vocabulary()
    for page in pages:
        vocabulary.add_page(page)
    return vocabulary


def test_nfkc_expands_ligatures_and_drops_soft_hyphens():
    assert nfkc("ﬁnancial ﬀ e\u00adxample") == "financial ff example"


def test_hyphen_kept_where_the_document_writes_the_compound():
    vocabulary = vocabulary_of("We build real-time tools.", "Use real-\ntime data and Debian-\nEdu servers.")
    text = normalize_page("Use real-\ntime data and Debian-\nEdu servers.", vocabulary)
    assert text == "Use real-time data and Debian-Edu servers."


def test_hyphen_joined_for_lowercase_continuation_or_known_word():
    vocabulary = vocabulary_of("Die Integrations-\npolitik der Stadt.", "Employment matters.")
    assert normalize_page("Die Integrations-\npolitik der Stadt.", vocabulary) == "Die Integrationspolitik der Stadt."
    assert normalize_page("Em-\nployment", vocabulary) == "Employment"


TOPICS = ["housing", "schools", "libraries", "employment", "policing"]


def report_page(n: int) -> str:
    topic = TOPICS[n - 1]
    return (
        f"Practice to Policy   {n}\nThis page is about {topic} in cities.\nCities act on {topic} locally.\n"
        f"Mayors speak about {topic}.\nLast line on {topic}.\nMaytree · Page {n}"
    )


def test_running_header_with_page_number_on_one_line_is_removed():
    pages = [report_page(n) for n in range(1, 6)]
    vocabulary = vocabulary_of(*pages)
    assert line_signature("Practice to Policy   3") == line_signature("Practice to Policy 12")
    assert normalize_page(pages[2], vocabulary) == (
        "This page is about libraries in cities. Cities act on libraries locally. "
        "Mayors speak about libraries. Last line on libraries."
    )


def test_a_line_repeated_in_the_middle_of_pages_is_kept():
    pages = [report_page(n).replace("Mayors speak", "Good ideas travel.\nMayors speak") for n in range(1, 6)]
    assert "Good ideas travel." in normalize_page(pages[0], vocabulary_of(*pages))
