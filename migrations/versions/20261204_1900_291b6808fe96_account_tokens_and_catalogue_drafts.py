"""account_tokens (invitation and password-reset links), catalogue drafts' notes, searches that led to the cart (issue 16)

Revision ID: 291b6808fe96
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = '291b6808fe96'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('invite', 'reset', name='tokenpurpose', native_enum=False, length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_account_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash'))
    )
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_tokens_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('catalogues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('uploaded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_catalogues_uploaded_by_id_users'), 'users', ['uploaded_by_id'],
                                    ['id'])
    with op.batch_alter_table('search_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('led_to_cart_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cart_agreement_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_search_logs_cart_agreement_id_agreements'), 'agreements',
                                    ['cart_agreement_id'], ['id'])


def downgrade():
    with op.batch_alter_table('search_logs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_search_logs_cart_agreement_id_agreements'), type_='foreignkey')
        batch_op.drop_column('cart_agreement_id')
        batch_op.drop_column('led_to_cart_at')
    with op.batch_alter_table('catalogues', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_catalogues_uploaded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('uploaded_by_id')
        batch_op.drop_column('import_notes')
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_tokens_user_id'))
    op.drop_table('account_tokens')
