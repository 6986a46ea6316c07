from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Kommentar (må fylles ut ved avvisning)"), validators=[Optional(), Length(max=1000)])
    approve = SubmitField(_l("Godkjenn"))
    reject = SubmitField(_l("Avvis"))
