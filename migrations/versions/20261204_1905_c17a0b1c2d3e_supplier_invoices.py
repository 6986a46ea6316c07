"""supplier_invoices, supplier_invoice_lines, invoice_tolerances, supplier_settings.invoice_behaviour (issue 17: EHF invoices matched against order and goods receipt)

Revision ID: c17a0b1c2d3e
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 19:05:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = 'c17a0b1c2d3e'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supplier_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_behaviour', sa.String(length=20), server_default='off', nullable=False))
    op.create_table(
        'invoice_tolerances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('quantity', webshop.dbtypes.ScaledDecimal(scale=3), nullable=False),
        sa.Column('price', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
        sa.Column('three_way', sa.Boolean(), nullable=False),
        sa.Column('updated_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_invoice_tolerances_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_invoice_tolerances_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_tolerances')),
        sa.UniqueConstraint('organisation_id', name=op.f('uq_invoice_tolerances_organisation_id')),
    )
    op.create_table(
        'supplier_invoices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inbound_document_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('is_credit_note', sa.Boolean(), nullable=False),
        sa.Column('number', sa.String(length=200), nullable=False),
        sa.Column('issue_date', sa.Date(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('total', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
        sa.Column('vat_total', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
        sa.Column('payable', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
        sa.Column('buyer_reference', sa.String(length=200), nullable=True),
        sa.Column('status', sa.Enum('matched', 'awaiting_receipt', 'deviation', 'accepted', 'disputed',
                                    name='invoicestatus', native_enum=False, length=20), nullable=False),
        sa.Column('received_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_supplier_invoices_decided_by_id_users')),
        sa.ForeignKeyConstraint(['inbound_document_id'], ['inbound_documents.id'],
                                name=op.f('fk_supplier_invoices_inbound_document_id_inbound_documents')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_supplier_invoices_order_id_orders')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_supplier_invoices_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_invoices_supplier_id_suppliers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_invoices')),
        sa.UniqueConstraint('inbound_document_id', name=op.f('uq_supplier_invoices_inbound_document_id')),
    )
    with op.batch_alter_table('supplier_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_invoices_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_invoices_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_invoices_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_invoices_supplier_id'), ['supplier_id'], unique=False)
    op.create_table(
        'supplier_invoice_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('line_ref', sa.String(length=200), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('quantity', webshop.dbtypes.ScaledDecimal(scale=3), nullable=False),
        sa.Column('unit_price', webshop.dbtypes.ScaledDecimal(scale=4), nullable=False),
        sa.Column('line_amount', webshop.dbtypes.ScaledDecimal(scale=2), nullable=False),
        sa.Column('deviations', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['invoice_id'], ['supplier_invoices.id'],
                                name=op.f('fk_supplier_invoice_lines_invoice_id_supplier_invoices')),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'],
                                name=op.f('fk_supplier_invoice_lines_order_line_id_order_lines')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_invoice_lines')),
    )
    with op.batch_alter_table('supplier_invoice_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_invoice_lines_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_invoice_lines_order_line_id'), ['order_line_id'], unique=False)


def downgrade():
    with op.batch_alter_table('supplier_invoice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_invoice_lines_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_invoice_lines_invoice_id'))
    op.drop_table('supplier_invoice_lines')
    with op.batch_alter_table('supplier_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_invoices_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_invoices_status'))
        batch_op.drop_index(batch_op.f('ix_supplier_invoices_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_invoices_order_id'))
    op.drop_table('supplier_invoices')
    op.drop_table('invoice_tolerances')
    with op.batch_alter_table('supplier_settings', schema=None) as batch_op:
        batch_op.drop_column('invoice_behaviour')
