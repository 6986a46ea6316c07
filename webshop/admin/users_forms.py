"""Forms of the user administration and of the one-time links."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from webshop.textsafety import SafeText

ROLE_CHOICES = [SelectChoice(value, label) for value, label in (
    ("orderer", _l("Bestiller")), ("approver", _l("Godkjenner")), ("unit_manager", _l("Enhetsleder")),
    ("coordinator", _l("E-handelskoordinator")))]


class InviteForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv inn navnet.")), Length(max=200), SafeText()])
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(_l("Skriv inn e-postadressen.")),
                                                        Length(max=254)])
    unit_id = SelectField(_l("Enhet"), coerce=int, validators=[InputRequired(_l("Velg en enhet."))])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES[:3], validators=[InputRequired(_l("Velg en rolle."))])


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, validators=[InputRequired(_l("Velg en rolle."))])
    unit_id = SelectField(_l("Enhet (ikke for koordinator)"), coerce=int, validators=[InputRequired()])


class ImportUsersForm(FlaskForm):
    organisation_id = SelectField(_l("Kommune"), coerce=int, validators=[InputRequired(_l("Velg en kommune."))])
    file = FileField(_l("CSV-fil med kolonnene navn, e-post, enhet, rolle"), validators=[
        FileRequired(_l("Velg en fil.")), FileAllowed(["csv", "txt"], _l("Filen må være CSV."))])


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Nytt passord (minst 10 tegn)"), validators=[
        DataRequired(_l("Skriv inn et passord.")), Length(max=200)])
    repeated = PasswordField(_l("Gjenta passordet"), validators=[DataRequired(_l("Gjenta passordet.")),
                                                                  Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(_l("Skriv inn e-postadressen din.")),
                                                        Length(max=254)])
