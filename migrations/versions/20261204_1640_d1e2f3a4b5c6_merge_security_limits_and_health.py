"""merge the security, inbound, person-limit and worker-heartbeat branches

Revision ID: d1e2f3a4b5c6
Revises: e10a7c3d9b21, b7c1d2e3f4a5, c4d5e6f7a8b9, a7e3c9d1f2b4
Create Date: 2026-12-04 16:40:00

"""

# revision identifiers, used by Alembic.
revision = 'd1e2f3a4b5c6'
down_revision = ('e10a7c3d9b21', 'b7c1d2e3f4a5', 'c4d5e6f7a8b9', 'a7e3c9d1f2b4')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
