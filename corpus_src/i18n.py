"""Localized strings for the generated documents: bylines, cover lines,
date formats, country names and city exonyms in en/de/es/fr."""
from __future__ import annotations

import datetime as _dt

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
           "August", "September", "Oktober", "November", "Dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
           "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
           "août", "septembre", "octobre", "novembre", "décembre"],
}


def long_date(d: _dt.date, lang: str) -> str:
    m = MONTHS[lang][d.month - 1]
    if lang == "en":
        return "%s %d, %d" % (m, d.day, d.year)
    if lang == "de":
        return "%d. %s %d" % (d.day, m, d.year)
    if lang == "es":
        return "%d de %s de %d" % (d.day, m, d.year)
    return "%s %s %d" % ("1er" if d.day == 1 else d.day, m, d.year)


def month_year(d: _dt.date, lang: str) -> str:
    m = MONTHS[lang][d.month - 1]
    if lang == "es":
        return "%s de %d" % (m.capitalize(), d.year)
    return "%s %d" % (m.capitalize(), d.year)


STRINGS = {
    "profile_series": {
        "en": "Good Ideas in Integration", "de": "Gute Ideen der Integration",
        "es": "Buenas ideas", "fr": "Bonnes idées",
    },
    "site_footer": {
        "en": "Cities of Migration – citiesofmigration.org",
        "de": "Cities of Migration – citiesofmigration.org",
        "es": "Cities of Migration – citiesofmigration.org",
        "fr": "Cities of Migration – citiesofmigration.org",
    },
    "contents": {"en": "Contents", "de": "Inhalt", "es": "Índice",
                 "fr": "Table des matières"},
    "published_by": {"en": "Published by Maytree", "de": "Herausgegeben von Maytree",
                     "es": "Publicado por Maytree", "fr": "Publié par Maytree"},
    "default_subtitle": {
        "en": "A Cities of Migration report",
        "de": "Ein Bericht von Cities of Migration",
        "es": "Un informe de Cities of Migration",
        "fr": "Un rapport de Cities of Migration",
    },
    "page": {"en": "Page", "de": "Seite", "es": "Página", "fr": "Page"},
    "by": {"en": "By", "de": "Von", "es": "Por", "fr": "Par"},
    "rights": {
        "en": "All rights reserved.", "de": "Alle Rechte vorbehalten.",
        "es": "Todos los derechos reservados.", "fr": "Tous droits réservés.",
    },
    "initiative": {
        "en": "Cities of Migration is an initiative of Maytree.",
        "de": "Cities of Migration ist eine Initiative von Maytree.",
        "es": "Cities of Migration es una iniciativa de Maytree.",
        "fr": "Cities of Migration est une initiative de Maytree.",
    },
    # blog page chrome
    "nav": {
        "en": ["Home", "Good Ideas", "Reports", "Blog", "About"],
        "de": ["Start", "Gute Ideen", "Berichte", "Blog", "Über uns"],
        "es": ["Inicio", "Buenas ideas", "Informes", "Blog", "Quiénes somos"],
        "fr": ["Accueil", "Bonnes idées", "Rapports", "Blog", "À propos"],
    },
    "newsletter": {
        "en": "Subscribe to our newsletter for new Good Ideas every month.",
        "de": "Abonnieren Sie unseren Newsletter mit neuen Guten Ideen jeden Monat.",
        "es": "Suscríbase a nuestro boletín y reciba nuevas buenas ideas cada mes.",
        "fr": "Abonnez-vous à notre infolettre pour recevoir de nouvelles bonnes idées chaque mois.",
    },
    "posted": {"en": "Posted", "de": "Veröffentlicht am", "es": "Publicado el",
               "fr": "Publié le"},
    "notes": {"en": "Notes", "de": "Anmerkungen", "es": "Notas", "fr": "Notes"},
}


def t(key: str, lang: str):
    return STRINGS[key][lang]


def copyright_line(lang: str, year: int | None, variant: int) -> str:
    """The cover's copyright line; year None = undated (print_date: false)."""
    if year is None:
        return {"en": "© The Maytree Foundation", "de": "© Maytree Foundation",
                "es": "© Maytree", "fr": "© Maytree"}[lang] + ". " + t("rights", lang)
    if lang == "en":
        return ("Copyright %d The Maytree Foundation" if variant == 0
                else "© %d Maytree. All rights reserved.") % year
    return "© %d %s. %s" % (year, "Maytree Foundation" if variant == 0 else "Maytree",
                           t("rights", lang))


# ISO 3166 alpha-2 -> (en, de, es, fr)
COUNTRIES = {
    "AR": ("Argentina", "Argentinien", "Argentina", "Argentine"),
    "AT": ("Austria", "Österreich", "Austria", "Autriche"),
    "AU": ("Australia", "Australien", "Australia", "Australie"),
    "BE": ("Belgium", "Belgien", "Bélgica", "Belgique"),
    "BR": ("Brazil", "Brasilien", "Brasil", "Brésil"),
    "CA": ("Canada", "Kanada", "Canadá", "Canada"),
    "CH": ("Switzerland", "Schweiz", "Suiza", "Suisse"),
    "CL": ("Chile", "Chile", "Chile", "Chili"),
    "CN": ("China", "China", "China", "Chine"),
    "CO": ("Colombia", "Kolumbien", "Colombia", "Colombie"),
    "CZ": ("Czechia", "Tschechien", "Chequia", "Tchéquie"),
    "DE": ("Germany", "Deutschland", "Alemania", "Allemagne"),
    "DK": ("Denmark", "Dänemark", "Dinamarca", "Danemark"),
    "EC": ("Ecuador", "Ecuador", "Ecuador", "Équateur"),
    "ES": ("Spain", "Spanien", "España", "Espagne"),
    "FI": ("Finland", "Finnland", "Finlandia", "Finlande"),
    "FR": ("France", "Frankreich", "Francia", "France"),
    "GB": ("United Kingdom", "Vereinigtes Königreich", "Reino Unido", "Royaume-Uni"),
    "GR": ("Greece", "Griechenland", "Grecia", "Grèce"),
    "HU": ("Hungary", "Ungarn", "Hungría", "Hongrie"),
    "IE": ("Ireland", "Irland", "Irlanda", "Irlande"),
    "IL": ("Israel", "Israel", "Israel", "Israël"),
    "IN": ("India", "Indien", "India", "Inde"),
    "IT": ("Italy", "Italien", "Italia", "Italie"),
    "JP": ("Japan", "Japan", "Japón", "Japon"),
    "KR": ("South Korea", "Südkorea", "Corea del Sur", "Corée du Sud"),
    "LU": ("Luxembourg", "Luxemburg", "Luxemburgo", "Luxembourg"),
    "MA": ("Morocco", "Marokko", "Marruecos", "Maroc"),
    "MX": ("Mexico", "Mexiko", "México", "Mexique"),
    "NL": ("Netherlands", "Niederlande", "Países Bajos", "Pays-Bas"),
    "NO": ("Norway", "Norwegen", "Noruega", "Norvège"),
    "NZ": ("New Zealand", "Neuseeland", "Nueva Zelanda", "Nouvelle-Zélande"),
    "PE": ("Peru", "Peru", "Perú", "Pérou"),
    "PH": ("Philippines", "Philippinen", "Filipinas", "Philippines"),
    "PL": ("Poland", "Polen", "Polonia", "Pologne"),
    "PT": ("Portugal", "Portugal", "Portugal", "Portugal"),
    "RO": ("Romania", "Rumänien", "Rumania", "Roumanie"),
    "SE": ("Sweden", "Schweden", "Suecia", "Suède"),
    "SG": ("Singapore", "Singapur", "Singapur", "Singapour"),
    "TR": ("Turkey", "Türkei", "Turquía", "Turquie"),
    "US": ("United States", "Vereinigte Staaten", "Estados Unidos", "États-Unis"),
    "ZA": ("South Africa", "Südafrika", "Sudáfrica", "Afrique du Sud"),
}
_LANG_INDEX = {"en": 0, "de": 1, "es": 2, "fr": 3}

# GeoNames English name -> {lang: local exonym}; cities not listed keep their name
CITY_EXONYMS = {
    "Antwerp": {"de": "Antwerpen", "es": "Amberes", "fr": "Anvers"},
    "Athens": {"de": "Athen", "es": "Atenas", "fr": "Athènes"},
    "Barcelona": {"fr": "Barcelone"},
    "Brussels": {"de": "Brüssel", "es": "Bruselas", "fr": "Bruxelles"},
    "Cologne": {"de": "Köln", "es": "Colonia"},
    "Copenhagen": {"de": "Kopenhagen", "es": "Copenhague", "fr": "Copenhague"},
    "Florence": {"de": "Florenz", "es": "Florencia"},
    "Geneva": {"de": "Genf", "es": "Ginebra", "fr": "Genève"},
    "Genoa": {"de": "Genua", "es": "Génova", "fr": "Gênes"},
    "Gothenburg": {"de": "Göteborg", "es": "Gotemburgo", "fr": "Göteborg"},
    "Lisbon": {"de": "Lissabon", "es": "Lisboa", "fr": "Lisbonne"},
    "London": {"es": "Londres", "fr": "Londres"},
    "Milan": {"de": "Mailand", "es": "Milán"},
    "Montreal": {"fr": "Montréal", "es": "Montreal"},
    "Munich": {"de": "München", "es": "Múnich"},
    "Naples": {"de": "Neapel", "es": "Nápoles"},
    "New York City": {"de": "New York", "es": "Nueva York", "fr": "New York"},
    "Nuremberg": {"de": "Nürnberg", "es": "Núremberg", "fr": "Nuremberg"},
    "Philadelphia": {"es": "Filadelfia", "fr": "Philadelphie"},
    "Prague": {"de": "Prag", "es": "Praga"},
    "Quebec": {"fr": "Québec"},
    "Rome": {"de": "Rom", "es": "Roma"},
    "Rotterdam": {},
    "Seville": {"de": "Sevilla", "es": "Sevilla", "fr": "Séville"},
    "The Hague": {"de": "Den Haag", "es": "La Haya", "fr": "La Haye"},
    "Turin": {"es": "Turín"},
    "Venice": {"de": "Venedig", "es": "Venecia", "fr": "Venise"},
    "Vienna": {"de": "Wien", "es": "Viena", "fr": "Vienne"},
    "Warsaw": {"de": "Warschau", "es": "Varsovia", "fr": "Varsovie"},
    "Zurich": {"de": "Zürich", "es": "Zúrich", "fr": "Zurich"},
}


def country_name(code: str, lang: str) -> str:
    names = COUNTRIES.get(code)
    return names[_LANG_INDEX[lang]] if names else code


def city_name(city: str, lang: str) -> str:
    return CITY_EXONYMS.get(city, {}).get(lang, city)


def place_line(cities: list[str], countries: list[str], lang: str) -> str:
    """'Barcelona, Spain' / 'Boston · Durham, United States' / 'Canada'."""
    cnames = [country_name(c, lang) for c in countries]
    towns = [city_name(c, lang) for c in cities]
    if towns and len(towns) == len(cnames):
        pairs = [f"{a}, {b}" for a, b in zip(towns, cnames)]
        return " · ".join(pairs)
    if towns and len(cnames) == 1:
        return " · ".join(towns) + ", " + cnames[0]
    if towns:
        return " · ".join(towns) + ((" — " + " · ".join(cnames)) if cnames else "")
    return " · ".join(cnames)
