"""Year of publication: printed dates first, then the file's own date (with suspicion), then the file name."""

from datetime import date

from indexer.enrich.years import filename_year, metadata_year, printed_year

TODAY = date(2026, 11, 24)


def year_of(*pages: str) -> int | None:
    found = printed_year(list(pages), today=TODAY)
    return found.year if found else None


def test_copyright_line_beats_other_years_on_the_first_pages():
    cover = "Practice to Policy\nLessons from 2008 to 2011\nCopyright 2012 The Maytree Foundation"
    assert year_of(cover) == 2012
    assert year_of("Länderbericht\n© 2012 Maytree. Alle Rechte vorbehalten.") == 2012
    assert year_of("Informe\nPublicado en 2013 por Maytree") == 2013


def test_full_dates_in_four_languages():
    assert year_of("Newsletter\nFebruary 12, 2013\nText") == 2013
    assert year_of("Konferenz\nBerlin, 4.–6. Juni 2014") == 2014
    assert year_of("Roadshow\nBerlin, June 4-6 2014") == 2014
    assert year_of("Crónica\n12 de febrero de 2013") == 2013
    assert year_of("Rencontre\nMontréal, le 3 mars 2011") == 2011


def test_a_year_alone_on_a_cover_line_or_ending_a_byline():
    assert year_of("A Cities of Migration report\n2013\nPublished by Maytree".replace("Published by", "By")) == 2013
    assert year_of("Title of the profile\nGood Ideas in Integration · 2012\nBarcelona, Spain") == 2012


def test_years_outside_1990_to_next_year_are_rejected():
    assert year_of("Copyright 1985 Someone") is None
    assert year_of("Copyright 2031 Someone") is None
    assert year_of("Founded in 1887\nCopyright 1989") is None


def test_event_years_in_running_prose_are_not_publication_years():
    prose = " ".join(["In 2008 the city opened a centre and in 2010 it grew."] * 3)
    assert year_of(prose) is None


def test_pdf_build_dates_are_treated_with_suspicion():
    word_export = metadata_year("2019-06-30", "pdf", "report_final_v3.docx", "Microsoft Word", [2012], today=TODAY)
    assert word_export is None
    later_than_the_text = metadata_year("2019-06-30", "pdf", "A report", "LaTeX", [2010, 2012], today=TODAY)
    assert later_than_the_text is None
    plausible = metadata_year("2012-01-01", "pdf", "Anti-Rumour Agents", "Cities of Migration", [2010], today=TODAY)
    assert plausible.year == 2012 and "PDF creation date" in plausible.evidence
    assert metadata_year("2014-05-01", "post", None, None, [], today=TODAY).year == 2014


def test_file_name_is_the_last_resort():
    assert filename_year("reports/annual-report-2011.pdf", today=TODAY).year == 2011
    assert filename_year("reports/report-20111.pdf", today=TODAY) is None
    assert filename_year("good-ideas/berlin.pdf", today=TODAY) is None
