"""Forms for supplier settings (the simulator for the trainer; transport and endpoint for the
central buyer), the inbound key, goods receipt and the line buttons."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from webshop.params import FiniteDecimalField
from webshop.supplier.endpoints import EndpointRefused, check_endpoint_url, loopback_allowed
from webshop.supplier.rules import Behaviour, TransportKind
from webshop.supplier.simulated_invoices import InvoiceBehaviour

INVOICE_LABELS = {
    InvoiceBehaviour.OFF: _l("Ingen faktura"),
    InvoiceBehaviour.EXACT: _l("Nøyaktig det som er levert"),
    InvoiceBehaviour.PARTIAL: _l("To delfakturaer"),
    InvoiceBehaviour.OVER: _l("Overfakturert: én enhet for mye"),
    InvoiceBehaviour.WRONG_PRICE: _l("Feil pris: én krone over avtalt pris"),
    InvoiceBehaviour.NO_ORDER: _l("Uten ordrenummer"),
}
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


ENDPOINT_MESSAGES = {
    "scheme": _l("Adressen må bruke https://, ikke http://."),
    "no_host": _l("Adressen må begynne med https:// og ha et vertsnavn."),
    "credentials": _l("Adressen kan ikke inneholde brukernavn eller passord."),
    "port": _l("Adressen har et ugyldig portnummer."),
    "loopback": _l("%(subject)s er maskinen selv (loopback) og kan ikke motta ordrer."),
    "link_local": _l("%(subject)s er en lenkelokal adresse (som 169.254.169.254) og kan ikke brukes."),
    "unspecified": _l("%(subject)s er en uspesifisert adresse og kan ikke brukes."),
    "multicast": _l("%(subject)s er en multicast-adresse og kan ikke brukes."),
    "private": _l("%(subject)s er en adresse i et privat nett og kan ikke brukes."),
    "not_global": _l("%(subject)s er ikke en offentlig adresse og kan ikke brukes."),
    "unresolvable": _l("Kunne ikke slå opp %(subject)s: navnet finnes ikke eller svarer ikke."),
}
SIMULATOR_FIELDS = ("behaviour", "out_of_stock_items", "out_of_stock_lines", "backorder_days",
                    "quantity_change_percent", "price_change_percent", "answer_delay_seconds", "delivery_parts",
                    "part_interval_minutes", "invoice_behaviour")
TRANSPORT_FIELDS = ("transport", "endpoint_url")


class SimulatorForm(FlaskForm):
    """What the trainer may change: the simulated supplier's behaviour, nothing about where orders go."""

    behaviour = SelectField(_l("Simulert leverandør"),
                            choices=[SelectChoice(k.value, v) for k, v in BEHAVIOUR_LABELS.items()])
    out_of_stock_items = StringField(_l("Utsolgte varenumre (kommaseparert)"), validators=[Length(max=1000)])
    out_of_stock_lines = _int(_l("Antall linjer utsolgt (når ingen varenumre er oppgitt)"), 0, 100, 0)
    backorder_days = _int(_l("Restordre i antall dager (0 = avvis utsolgte linjer)"), 0, 365, 0)
    quantity_change_percent = _int(_l("Endring i antall på første linje (prosent, f.eks. -50)"), -99, 500, 0)
    price_change_percent = FiniteDecimalField(_l("Endring i pris på første linje (prosent)"), places=2, default=0,
                                        validators=[InputRequired(_l("Fyll inn et tall.")), NumberRange(
                                            min=-90, max=500, message=_l("Skriv et tall fra -90 til 500."))])
    answer_delay_seconds = _int(_l("Svarer etter (sekunder)"), 0, 14 * 24 * 3600, 0)
    delivery_parts = _int(_l("Leverer i antall deler"), 1, 10, 1)
    part_interval_minutes = _int(_l("Tid mellom delleveranser (minutter)"), 0, 30 * 24 * 60, 1440)
    invoice_behaviour = SelectField(_l("Faktura fra den simulerte leverandøren"), default="off",
                                    choices=[SelectChoice(k.value, v) for k, v in INVOICE_LABELS.items()])


class SettingsForm(SimulatorForm):
    """The central buyer's form: the simulator, and where the supplier's orders are sent."""

    transport = SelectField(_l("Sendes som"), choices=[SelectChoice(k.value, v) for k, v in TRANSPORT_LABELS.items()])
    endpoint_url = StringField(_l("Adresse for HTTP (https://…)"), validators=[Optional(), Length(max=500)])

    def validate_endpoint_url(self, field: StringField) -> None:
        try:
            check_endpoint_url(field.data or "", allow_http_loopback=loopback_allowed(
                current_app.config, debug=current_app.debug))
        except EndpointRefused as refused:
            raise ValidationError(str(ENDPOINT_MESSAGES[refused.code] % {"subject": refused.subject})) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.transport.data == TransportKind.HTTP.value and not self.endpoint_url.data:
            message = _l("Skriv adressen leverandøren tar imot ordrer på.")
            self.endpoint_url.errors = [*self.endpoint_url.errors, message]
            return False
        return valid


class NewKeyForm(FlaskForm):
    """Make the supplier's inbound key; replacing one needs the box ticked (the old key stops working)."""

    confirm_replace = BooleanField(_l("Jeg forstår at den gamle nøkkelen slutter å virke med en gang."))


class LineActionForm(FlaskForm):
    """Re-order or cancel buttons: CSRF only."""


class ReceiptForm(FlaskForm):
    """Goods receipt: the per-line quantities are read by the view (one pair of fields per line)."""
