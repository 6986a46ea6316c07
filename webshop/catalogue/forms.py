from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SearchField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webshop.forms import quantity_field


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = SearchField(_l("Søk i katalogen"), validators=[Optional(), Length(max=200)])
    side = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)], default=1)


class AddToCartForm(FlaskForm):
    item_id = HiddenField(validators=[DataRequired()])
    quantity = quantity_field()
