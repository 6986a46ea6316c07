"""person limits per unit: a unit manager's limits apply in that manager's units only

Revision ID: c4d5e6f7a8b9
Revises: f6b4bee865a1
Create Date: 2026-12-04 15:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d5e6f7a8b9'
down_revision = 'f6b4bee865a1'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows keep applying to the whole municipality (unit_id NULL), as they did.
    with op.batch_alter_table('person_limits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_person_limits_unit_id_units'), 'units', ['unit_id'], ['id'])
        batch_op.drop_constraint('uq_person_limits_user_id', type_='unique')
        batch_op.create_unique_constraint('uq_person_limits_user_unit', ['user_id', 'unit_id'])
        # NULLs are distinct in a unique constraint: one municipality-wide row per person needs its own index
        batch_op.create_index('uq_person_limits_user_municipality', ['user_id'], unique=True,
                              sqlite_where=sa.text('unit_id IS NULL'), postgresql_where=sa.text('unit_id IS NULL'))


def downgrade():
    op.execute("DELETE FROM person_limits WHERE unit_id IS NOT NULL")
    with op.batch_alter_table('person_limits', schema=None) as batch_op:
        batch_op.drop_index('uq_person_limits_user_municipality')
        batch_op.drop_constraint('uq_person_limits_user_unit', type_='unique')
        batch_op.create_unique_constraint('uq_person_limits_user_id', ['user_id'])
        batch_op.drop_constraint(batch_op.f('fk_person_limits_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('unit_id')
