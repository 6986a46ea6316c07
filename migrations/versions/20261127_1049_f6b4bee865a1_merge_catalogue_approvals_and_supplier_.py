"""merge catalogue, approvals and supplier branches

Revision ID: f6b4bee865a1
Revises: a28036b61c3d, e0e707cff6a1, 99dd31c9a9d5
Create Date: 2026-11-27 10:49:53.326584

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = 'f6b4bee865a1'
down_revision = ('a28036b61c3d', 'e0e707cff6a1', '99dd31c9a9d5')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
