from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length

from webshop.config import Config


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(_l("Skriv inn e-postadressen din.")),
                                                        Length(max=254)])
    password = PasswordField(_l("Passord"), validators=[DataRequired(_l("Skriv inn passordet ditt."))])
    submit = SubmitField(_l("Logg inn"))


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[AnyOf(list(Config.LANGUAGES))])
