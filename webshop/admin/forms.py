"""Forms for coordinators and unit managers: policy, tiers, budgets, person limits, authority."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from webshop.params import FiniteDecimalField

MAX = 100_000_000


def money_field(label, required: bool = False):
    return FiniteDecimalField(label, places=2, validators=[
        InputRequired(_l("Skriv inn et beløp (0 for ingen).")) if required else Optional(),
        NumberRange(min=0, max=MAX, message=_l("Beløpet må være mellom 0 og 100 000 000 kr."))])


class PolicyForm(FlaskForm):
    auto_approve_below = money_field(_l("Godkjenn katalogordrer automatisk under (kr, 0 = aldri)"), required=True)
    default_per_order = money_field(_l("Standard grense per ordre per bestiller (kr, tom = ingen)"))
    default_per_month = money_field(_l("Standard grense per måned per bestiller (kr, tom = ingen)"))
    default_hard = BooleanField(_l("Hard grense: ordrer over grensen stoppes (ellers må de godkjennes)"))
    escalate_after_days = IntegerField(_l("Eskaler etter antall arbeidsdager"), validators=[
        InputRequired(_l("Skriv inn antall dager.")), NumberRange(min=1, max=30, message=_l("Velg 1–30 dager."))])


class TierForm(FlaskForm):
    name = StringField(_l("Navn på trinnet"), validators=[DataRequired(_l("Gi trinnet et navn.")), Length(max=100)])
    required_above = money_field(_l("Trengs for ordrer over (kr)"), required=True)
    approver_user_id = SelectField(_l("Godkjenner"), coerce=int, validators=[Optional()])


class BudgetForm(FlaskForm):
    monthly = money_field(_l("Månedsbudsjett (kr, tom = ingen)"))
    hard = BooleanField(_l("Hardt budsjett: ordrer over budsjettet stoppes"))


class PersonLimitForm(FlaskForm):
    per_order = money_field(_l("Grense per ordre (kr, tom = kommunens standard)"))
    per_month = money_field(_l("Grense per måned (kr, tom = kommunens standard)"))
    hard = BooleanField(_l("Hard grense: ordrer over grensen stoppes"))
    agreement_ids = SelectMultipleField(_l("Avtaler personen kan bestille fra (ingen valgt = alle)"), coerce=int,
                                        validators=[Optional()])
    unspsc_prefixes = StringField(_l("UNSPSC-kategorier (begynnelsen av koden, skilt med komma; tom = alle)"),
                                  validators=[Optional(), Length(max=500)])
    approval_limit = money_field(_l("Største ordre personen kan gi endelig godkjenning for (kr, tom = ingen grense)"))


class GrantForm(FlaskForm):
    user_id = SelectField(_l("Gi bestillerrett til"), coerce=int, validators=[InputRequired(_l("Velg en person."))])


class ProposalForm(FlaskForm):
    class Meta:
        csrf = False

    antall = IntegerField(_l("Antall bestillere i forslaget"), validators=[
        InputRequired(_l("Skriv inn et antall.")), NumberRange(min=1, max=100, message=_l("Velg 1–100."))])
