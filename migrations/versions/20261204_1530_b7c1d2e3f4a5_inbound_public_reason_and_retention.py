"""inbound documents: what the sender was told, and when the raw XML was purged

Revision ID: b7c1d2e3f4a5
Revises: f6b4bee865a1
Create Date: 2026-12-04 15:30:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = 'f6b4bee865a1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inbound_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('xml_purged_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_inbound_documents_purge', ['xml_purged_at', 'received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('inbound_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_documents_purge')
        batch_op.drop_column('xml_purged_at')
        batch_op.drop_column('public_reason')
