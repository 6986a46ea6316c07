"""The accessibility statement's data: every WCAG 2.1 level A and AA success criterion with its status.

Norwegian public bodies must publish a statement (tilgjengelighetserklæring) for their web solutions
(forskrift om universell utforming av IKT-løsninger). Keep it true: a criterion marked «Oppfylt» that
rests on a test names the test in its note (axe scans: tests/browser/scanned_pages.py; keyboard,
reflow and focus: tests/browser/test_accessibility.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

UPDATED = date(2026, 12, 4)  # change it with every change to the list below


class Status(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.MET: _l("Oppfylt"), Status.PARTLY: _l("Delvis oppfylt"), Status.NOT_MET: _l("Ikke oppfylt"),
    Status.NOT_APPLICABLE: _l("Ikke relevant"),
}


@dataclass(frozen=True)
class Criterion:
    number: str
    level: str
    name: LazyString
    status: Status
    note: LazyString


_NOTES = {
    "images": _l("Varebilder har varenavnet som alternativ tekst."),
    "media": _l("Løsningen har ikke lyd eller video."),
    "axe": _l("Kontrollert automatisk med axe-core på hver side i nettlesertestene."),
    "order": _l("Innholdet leses i samme rekkefølge som det vises, også på mobil."),
    "manual": _l("Kontrollert manuelt."),
    "reflow": _l("Alle sider testes i 320 px bredde uten sidelengs rulling."),
    "autocomplete": _l("Innloggingen oppgir formål (e-post, passord); skjemaene for brukere og profil gjør det ikke "
                     "ennå."),
    "colour": _l("Status vises med tekst, ikke bare med farge."),
    "focus": _l("Tydelig fokusmarkering på lenker, knapper og felt; kontrollert i nettlesertestene."),
    "hover": _l("Ikke noe innhold vises bare ved peker eller fokus."),
    "keyboard": _l("Bestilling og godkjenning er testet med bare tastatur."),
    "shortcuts": _l("Ingen hurtigtaster."),
    "timeout": _l("En innlogging varer i 12 timer og et skjema i 8 timer uten varsel før utløp. Et utløpt skjema gir "
                  "en tydelig side der ingenting er lagret."),
    "motion": _l("Ingen bevegelig eller blinkende innhold."),
    "skip": _l("«Hopp til hovedinnhold» er første lenke på hver side."),
    "titles": _l("Hver side har en egen tittel."),
    "ways": _l("Meny, søk i toppfeltet og startside."),
    "gestures": _l("Ingen funksjoner krever sveip, flere fingre eller bevegelse."),
    "labelname": _l("Knappenes tilgjengelige navn begynner med den synlige teksten."),
    "catalogue": _l("Varenavn fra leverandørenes kataloger er ikke merket med språk."),
    "layout": _l("Samme toppfelt og meny på alle sider."),
    "errors": _l("Feil vises øverst i skjemaet og ved feltet, med hva som må rettes."),
    "prevent": _l("Bestillinger går til godkjenning og kan kanselleres før de sendes."),
    "status": _l("Meldinger etter en handling har rollen «status» eller «alert»."),
}

CRITERIA: tuple[Criterion, ...] = (
    Criterion("1.1.1", "A", _l("Ikke-tekstlig innhold"), Status.MET, _NOTES["images"]),
    Criterion("1.2.1", "A", _l("Bare lyd og bare video (forhåndsinnspilt)"), Status.NOT_APPLICABLE, _NOTES["media"]),
    Criterion("1.2.2", "A", _l("Teksting (forhåndsinnspilt)"), Status.NOT_APPLICABLE, _NOTES["media"]),
    Criterion("1.2.3", "A", _l("Synstolking eller mediealternativ "
                               "(forhåndsinnspilt)"), Status.NOT_APPLICABLE, _NOTES["media"]),
    Criterion("1.2.4", "AA", _l("Teksting (direkte)"), Status.NOT_APPLICABLE, _NOTES["media"]),
    Criterion("1.2.5", "AA", _l("Synstolking (forhåndsinnspilt)"), Status.NOT_APPLICABLE, _NOTES["media"]),
    Criterion("1.3.1", "A", _l("Informasjon og relasjoner"), Status.MET, _NOTES["axe"]),
    Criterion("1.3.2", "A", _l("Meningsbærende rekkefølge"), Status.MET, _NOTES["order"]),
    Criterion("1.3.3", "A", _l("Sensoriske egenskaper"), Status.MET, _NOTES["manual"]),
    Criterion("1.3.4", "AA", _l("Visningsretning"), Status.MET, _NOTES["reflow"]),
    Criterion("1.3.5", "AA", _l("Identifiser formål med inndata"), Status.PARTLY, _NOTES["autocomplete"]),
    Criterion("1.4.1", "A", _l("Bruk av farge"), Status.MET, _NOTES["colour"]),
    Criterion("1.4.2", "A", _l("Styring av lyd"), Status.NOT_APPLICABLE, _NOTES["media"]),
    Criterion("1.4.3", "AA", _l("Kontrast (minimum)"), Status.MET, _NOTES["axe"]),
    Criterion("1.4.4", "AA", _l("Endring av tekststørrelse"), Status.MET, _NOTES["reflow"]),
    Criterion("1.4.5", "AA", _l("Bilder av tekst"), Status.MET, _NOTES["manual"]),
    Criterion("1.4.10", "AA", _l("Dynamisk tilpasning (Reflow)"), Status.MET, _NOTES["reflow"]),
    Criterion("1.4.11", "AA", _l("Kontrast for ikke-tekstlig innhold"), Status.MET, _NOTES["focus"]),
    Criterion("1.4.12", "AA", _l("Tekstavstand"), Status.MET, _NOTES["manual"]),
    Criterion("1.4.13", "AA", _l("Pekerfølsomt innhold eller innhold ved "
                                 "tastaturfokus"), Status.NOT_APPLICABLE, _NOTES["hover"]),
    Criterion("2.1.1", "A", _l("Tastatur"), Status.MET, _NOTES["keyboard"]),
    Criterion("2.1.2", "A", _l("Ingen tastaturfelle"), Status.MET, _NOTES["keyboard"]),
    Criterion("2.1.4", "A", _l("Hurtigtaster som består av ett tegn"), Status.NOT_APPLICABLE, _NOTES["shortcuts"]),
    Criterion("2.2.1", "A", _l("Justerbar hastighet"), Status.PARTLY, _NOTES["timeout"]),
    Criterion("2.2.2", "A", _l("Pause, stopp, skjul"), Status.NOT_APPLICABLE, _NOTES["motion"]),
    Criterion("2.3.1", "A", _l("Terskelverdi på maksimalt tre glimt"), Status.MET, _NOTES["motion"]),
    Criterion("2.4.1", "A", _l("Hoppe over blokker"), Status.MET, _NOTES["skip"]),
    Criterion("2.4.2", "A", _l("Sidetitler"), Status.MET, _NOTES["titles"]),
    Criterion("2.4.3", "A", _l("Fokusrekkefølge"), Status.MET, _NOTES["keyboard"]),
    Criterion("2.4.4", "A", _l("Formål med lenke (i kontekst)"), Status.MET, _NOTES["axe"]),
    Criterion("2.4.5", "AA", _l("Flere måter"), Status.MET, _NOTES["ways"]),
    Criterion("2.4.6", "AA", _l("Overskrifter og ledetekster"), Status.MET, _NOTES["manual"]),
    Criterion("2.4.7", "AA", _l("Synlig fokus"), Status.MET, _NOTES["focus"]),
    Criterion("2.5.1", "A", _l("Pekerbevegelser"), Status.NOT_APPLICABLE, _NOTES["gestures"]),
    Criterion("2.5.2", "A", _l("Pekeravbrytelse"), Status.MET, _NOTES["manual"]),
    Criterion("2.5.3", "A", _l("Ledetekst i navn"), Status.MET, _NOTES["labelname"]),
    Criterion("2.5.4", "A", _l("Bevegelsesaktivering"), Status.NOT_APPLICABLE, _NOTES["gestures"]),
    Criterion("3.1.1", "A", _l("Språk på siden"), Status.MET, _NOTES["axe"]),
    Criterion("3.1.2", "AA", _l("Språk på deler av innhold"), Status.PARTLY, _NOTES["catalogue"]),
    Criterion("3.2.1", "A", _l("Fokus"), Status.MET, _NOTES["manual"]),
    Criterion("3.2.2", "A", _l("Inndata"), Status.MET, _NOTES["manual"]),
    Criterion("3.2.3", "AA", _l("Konsekvent navigering"), Status.MET, _NOTES["layout"]),
    Criterion("3.2.4", "AA", _l("Konsekvent identifikasjon"), Status.MET, _NOTES["layout"]),
    Criterion("3.3.1", "A", _l("Identifikasjon av feil"), Status.MET, _NOTES["errors"]),
    Criterion("3.3.2", "A", _l("Ledetekster eller instruksjoner"), Status.MET, _NOTES["axe"]),
    Criterion("3.3.3", "AA", _l("Forslag ved feil"), Status.MET, _NOTES["errors"]),
    Criterion("3.3.4", "AA", _l("Forhindring av feil (juridiske feil, økonomiske feil, "
                                "datafeil)"), Status.MET, _NOTES["prevent"]),
    Criterion("4.1.1", "A", _l("Parsing (oppheves i WCAG 2.2)"), Status.MET, _NOTES["axe"]),
    Criterion("4.1.2", "A", _l("Navn, rolle, verdi"), Status.MET, _NOTES["axe"]),
    Criterion("4.1.3", "AA", _l("Statusbeskjeder"), Status.MET, _NOTES["status"]),
)
