"""order_notices (what the orderer hears), agreements.min_order_blocks, order_line_statuses.replaced_in_cart_at (issue 15)

Revision ID: f1a2b3c4d5e6
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 18:20:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'order_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('rejected', 'returned', 'partly_delivered', 'rejected_by_supplier', 'lines_rejected', name='noticekind', native_enum=False, length=30), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('read_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('mailed_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('mail_state', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_notices_order_id_orders')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_order_notices_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_order_notices')),
    )
    with op.batch_alter_table('order_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_notices_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_notices_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_order_blocks', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('order_line_statuses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_in_cart_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('order_line_statuses', schema=None) as batch_op:
        batch_op.drop_column('replaced_in_cart_at')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('min_order_blocks')
    with op.batch_alter_table('order_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_notices_user_id'))
        batch_op.drop_index(batch_op.f('ix_order_notices_order_id'))
    op.drop_table('order_notices')
