"""search index change log: each machine's worker brings its own index up to date (issue 14)

Revision ID: b8c9d0e1f2a3
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 18:10:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = 'b8c9d0e1f2a3'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_index_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('supplier_item_id', sa.String(length=60), nullable=False),
    sa.Column('created_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_id'], ['catalogues.id'], name=op.f('fk_search_index_changes_catalogue_id_catalogues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index_changes'))
    )
    with op.batch_alter_table('search_index_changes', schema=None) as batch_op:
        batch_op.create_index('ix_search_index_changes_catalogue_generation', ['catalogue_id', 'generation'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_index_changes_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_index_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_index_changes_created_at'))
        batch_op.drop_index('ix_search_index_changes_catalogue_generation')

    op.drop_table('search_index_changes')
