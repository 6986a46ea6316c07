"""Leader's view (issue 13): imported accounting spend, cost-centre mapping, targets and unit goals

Revision ID: 13ad0b7e5c41
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 18:30:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = '13ad0b7e5c41'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_leader_spend', ['organisation_id', 'submitted_at', 'status', 'unit_id', 'total',
                                                         'orderer_id'], unique=False)
        batch_op.create_index('ix_orders_leader_large', ['organisation_id', 'total'], unique=False)
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index('ix_order_lines_leader_mix', ['order_id', 'is_free_text', 'line_total', 'list_price',
                                                            'unit_price', 'quantity'], unique=False)
    op.create_table('spend_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('imported_at', webshop.dbtypes.UTCDateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('total', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('spend_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spend_imports_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('spend_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('cost_centre', sa.String(length=40), nullable=False),
    sa.Column('supplier_orgnr', sa.String(length=9), nullable=False),
    sa.Column('supplier_name', sa.String(length=200), nullable=True),
    sa.Column('amount', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('order_number', sa.String(length=40), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['spend_imports.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('spend_records', schema=None) as batch_op:
        batch_op.create_index('ix_spend_records_org_booked', ['organisation_id', 'booked_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_records_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_records_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_records_supplier_orgnr'), ['supplier_orgnr'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_records_unit_id'), ['unit_id'], unique=False)

    op.create_table('spend_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('supplier_orgnr', sa.String(length=9), nullable=False),
    sa.Column('supplier_name', sa.String(length=200), nullable=True),
    sa.Column('with_order_number', sa.Boolean(), nullable=False),
    sa.Column('amount', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('spend_months', schema=None) as batch_op:
        batch_op.create_index('ix_spend_months_org_month', ['organisation_id', 'month'], unique=False)

    op.create_table('order_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('orderer_id', sa.Integer(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('spend', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('catalogue', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('free_text', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('savings', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('last_order_at', webshop.dbtypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['orderer_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'unit_id', 'month', 'orderer_id')
    )
    with op.batch_alter_table('order_months', schema=None) as batch_op:
        batch_op.create_index('ix_order_months_org_month', ['organisation_id', 'month'], unique=False)

    op.create_table('cost_centres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'code')
    )
    op.create_table('adoption_settings',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('target_percent', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('large_order_limit', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    op.create_table('unit_goals',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('target_percent', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', webshop.dbtypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('unit_id')
    )


def downgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_order_lines_leader_mix')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_leader_large')
        batch_op.drop_index('ix_orders_leader_spend')
    op.drop_table('unit_goals')
    op.drop_table('adoption_settings')
    op.drop_table('cost_centres')
    with op.batch_alter_table('order_months', schema=None) as batch_op:
        batch_op.drop_index('ix_order_months_org_month')
    op.drop_table('order_months')
    with op.batch_alter_table('spend_months', schema=None) as batch_op:
        batch_op.drop_index('ix_spend_months_org_month')
    op.drop_table('spend_months')
    with op.batch_alter_table('spend_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spend_records_unit_id'))
        batch_op.drop_index(batch_op.f('ix_spend_records_supplier_orgnr'))
        batch_op.drop_index(batch_op.f('ix_spend_records_order_id'))
        batch_op.drop_index(batch_op.f('ix_spend_records_import_id'))
        batch_op.drop_index('ix_spend_records_org_booked')
    op.drop_table('spend_records')
    with op.batch_alter_table('spend_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spend_imports_organisation_id'))
    op.drop_table('spend_imports')
