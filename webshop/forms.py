"""Form pieces shared by several blueprints."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.validators import InputRequired, NumberRange

from webshop.config import Config
from webshop.params import FiniteDecimalField


def quantity_field(label: str = _l("Antall"), max_quantity: int = Config.MAX_LINE_QUANTITY) -> DecimalField:
    return FiniteDecimalField(
        label,
        places=None,
        default=Decimal(1),
        validators=[
            InputRequired(_l("Skriv inn et antall.")),
            NumberRange(min=0.001, max=max_quantity,
                        message=_l("Skriv et antall større enn null, høyst %(max)s.", max=max_quantity)),
        ],
    )


class EmptyForm(FlaskForm):
    """For buttons that only need CSRF protection."""
