"""Forms for supplier settings (trainer), goods receipt and the line buttons."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from webshop.supplier.rules import Behaviour, TransportKind

TRANSPORT_LABELS = {
    TransportKind.FOLDER: _l("Mappe (standard)"),
    TransportKind.HTTP: _l("HTTP POST til leverandøren"),
    TransportKind.PEPPOL: _l("Peppol-aksesspunkt"),
}
BEHAVIOUR_LABELS = {
    Behaviour.OFF: _l("Av – ekte leverandør"),
    Behaviour.ACCEPT: _l("Godtar alt"),
    Behaviour.REJECT: _l("Avviser ordren"),
    Behaviour.PARTIAL: _l("Delvis: varer utsolgt"),
    Behaviour.CHANGE: _l("Endrer antall eller pris"),
    Behaviour.SILENT: _l("Svarer aldri"),
}


def _int(label, low: int, high: int, default: int) -> IntegerField:
    return IntegerField(label, default=default, validators=[
        InputRequired(_l("Fyll inn et tall.")),
        NumberRange(min=low, max=high, message=_l("Skriv et tall fra %(min)s til %(max)s.", min=low, max=high))])


class SettingsForm(FlaskForm):
    transport = SelectField(_l("Sendes som"), choices=[SelectChoice(k.value, v) for k, v in TRANSPORT_LABELS.items()])
    endpoint_url = StringField(_l("Adresse for HTTP (https://…)"), validators=[
        Optional(), Length(max=500), URL(require_tld=False, message=_l("Skriv en gyldig adresse (https://…)."))])
    behaviour = SelectField(_l("Simulert leverandør"),
                            choices=[SelectChoice(k.value, v) for k, v in BEHAVIOUR_LABELS.items()])
    out_of_stock_items = StringField(_l("Utsolgte varenumre (kommaseparert)"), validators=[Length(max=1000)])
    out_of_stock_lines = _int(_l("Antall linjer utsolgt (når ingen varenumre er oppgitt)"), 0, 100, 0)
    backorder_days = _int(_l("Restordre i antall dager (0 = avvis utsolgte linjer)"), 0, 365, 0)
    quantity_change_percent = _int(_l("Endring i antall på første linje (prosent, f.eks. -50)"), -99, 500, 0)
    price_change_percent = DecimalField(_l("Endring i pris på første linje (prosent)"), places=2, default=0,
                                        validators=[InputRequired(_l("Fyll inn et tall.")), NumberRange(
                                            min=-90, max=500, message=_l("Skriv et tall fra -90 til 500."))])
    answer_delay_seconds = _int(_l("Svarer etter (sekunder)"), 0, 14 * 24 * 3600, 0)
    delivery_parts = _int(_l("Leverer i antall deler"), 1, 10, 1)
    part_interval_minutes = _int(_l("Tid mellom delleveranser (minutter)"), 0, 30 * 24 * 60, 1440)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.transport.data == TransportKind.HTTP.value and not self.endpoint_url.data:
            message = _l("Skriv adressen leverandøren tar imot ordrer på.")
            self.endpoint_url.errors = [*self.endpoint_url.errors, message]
            return False
        return valid


class LineActionForm(FlaskForm):
    """Re-order or cancel buttons: CSRF only."""


class ReceiptForm(FlaskForm):
    """Goods receipt: the per-line quantities are read by the view (one pair of fields per line)."""
