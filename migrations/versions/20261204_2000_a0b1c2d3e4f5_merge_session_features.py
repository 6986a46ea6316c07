"""merge heads: search index changes, order notices, leader's view, training lab, accounts and drafts, invoices

Revision ID: a0b1c2d3e4f5
Revises: b8c9d0e1f2a3, f1a2b3c4d5e6, 13ad0b7e5c41, 7a3c1e9b2d40, 291b6808fe96, c17a0b1c2d3e
Create Date: 2026-12-04 20:00:00

"""

# revision identifiers, used by Alembic.
revision = 'a0b1c2d3e4f5'
down_revision = ('b8c9d0e1f2a3', 'f1a2b3c4d5e6', '13ad0b7e5c41', '7a3c1e9b2d40', '291b6808fe96', 'c17a0b1c2d3e')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
