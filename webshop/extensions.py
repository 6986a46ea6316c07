"""Flask extensions, created unbound and initialised in create_app."""
from typing import TYPE_CHECKING, ClassVar

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:  # every model is mapped to a Table (DeclarativeBase says FromClause)
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)
# Models subclass Model. mypy cannot use an attribute (db.Model) as a base class
# (python/mypy#8603, pallets-eco/flask-sqlalchemy#1186), so it sees the typed
# declarative base; at runtime Model is db.Model, which is Base plus
# Flask-SQLAlchemy's table-name and bind-key mixins.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
babel = Babel()
