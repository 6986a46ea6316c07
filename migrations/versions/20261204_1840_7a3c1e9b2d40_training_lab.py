"""Training lab (issue 12): courses, conditions, exercise library, participants, attempts, SUS answers

Revision ID: 7a3c1e9b2d40
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa
import webshop.dbtypes


# revision identifiers, used by Alembic.
revision = '7a3c1e9b2d40'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lab_exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('check_kind', sa.String(length=40), nullable=False),
    sa.Column('check_params', sa.JSON(), nullable=False),
    sa.Column('time_limit_seconds', sa.Integer(), nullable=False),
    sa.Column('phone_seconds', sa.Integer(), nullable=False),
    sa.Column('start_state', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_lab_exercises_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_exercises')),
    sa.UniqueConstraint('organisation_id', 'key', name=op.f('uq_lab_exercises_organisation_id'))
    )
    with op.batch_alter_table('lab_exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_exercises_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('lab_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('template_key', sa.Enum('demo', 'own', name='templatekey', native_enum=False, length=10), nullable=False),
    sa.Column('design', sa.Enum('between', 'within', name='design', native_enum=False, length=10), nullable=False),
    sa.Column('assignment', sa.Enum('random', 'manual', name='assignment', native_enum=False, length=10), nullable=False),
    sa.Column('created_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lab_courses_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_lab_courses_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_courses'))
    )
    with op.batch_alter_table('lab_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_courses_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_courses_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('lab_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('catalogue_variant', sa.Enum('curated', 'raw', name='cataloguevariant', native_enum=False, length=10), nullable=False),
    sa.Column('catalogue_range', sa.Enum('full', 'limited', name='cataloguerange', native_enum=False, length=10), nullable=False),
    sa.Column('ordering_authority', sa.Enum('everyone', 'designated', name='orderingauthority', native_enum=False, length=12), nullable=False),
    sa.Column('auto_approve_below', webshop.dbtypes.ScaledDecimal(scale=2), nullable=True),
    sa.Column('supplier_behaviour', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['lab_courses.id'], name=op.f('fk_lab_conditions_course_id_lab_courses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_conditions')),
    sa.UniqueConstraint('course_id', 'key', name=op.f('uq_lab_conditions_course_id'))
    )
    with op.batch_alter_table('lab_conditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_conditions_course_id'), ['course_id'], unique=False)

    op.create_table('lab_course_exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('phone_seconds', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['lab_courses.id'], name=op.f('fk_lab_course_exercises_course_id_lab_courses')),
    sa.ForeignKeyConstraint(['exercise_id'], ['lab_exercises.id'], name=op.f('fk_lab_course_exercises_exercise_id_lab_exercises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_course_exercises')),
    sa.UniqueConstraint('course_id', 'position', name=op.f('uq_lab_course_exercises_course_id'))
    )
    with op.batch_alter_table('lab_course_exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_course_exercises_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_course_exercises_exercise_id'), ['exercise_id'], unique=False)

    op.create_table('lab_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_email', sa.String(length=254), nullable=True),
    sa.Column('condition_id', sa.Integer(), nullable=True),
    sa.Column('condition_order', sa.String(length=10), nullable=True),
    sa.Column('sandbox_organisation_id', sa.Integer(), nullable=False),
    sa.Column('current_attempt_id', sa.Integer(), nullable=True),
    sa.Column('sus_done_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['condition_id'], ['lab_conditions.id'], name=op.f('fk_lab_participants_condition_id_lab_conditions')),
    sa.ForeignKeyConstraint(['course_id'], ['lab_courses.id'], name=op.f('fk_lab_participants_course_id_lab_courses')),
    sa.ForeignKeyConstraint(['sandbox_organisation_id'], ['organisations.id'], name=op.f('fk_lab_participants_sandbox_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lab_participants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_participants')),
    sa.UniqueConstraint('course_id', 'code', name=op.f('uq_lab_participants_course_id')),
    sa.UniqueConstraint('sandbox_organisation_id', name=op.f('uq_lab_participants_sandbox_organisation_id')),
    sa.UniqueConstraint('user_id', name=op.f('uq_lab_participants_user_id'))
    )
    with op.batch_alter_table('lab_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_participants_condition_id'), ['condition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_participants_course_id'), ['course_id'], unique=False)

    op.create_table('lab_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('course_exercise_id', sa.Integer(), nullable=False),
    sa.Column('condition_id', sa.Integer(), nullable=True),
    sa.Column('started_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum('success', 'failed', 'gave_up', 'timed_out', name='outcome', native_enum=False, length=12), nullable=True),
    sa.Column('success', sa.Boolean(), nullable=True),
    sa.Column('actions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('searches', sa.Integer(), server_default='0', nullable=False),
    sa.Column('zero_result_searches', sa.Integer(), server_default='0', nullable=False),
    sa.Column('help_opened', sa.Integer(), server_default='0', nullable=False),
    sa.Column('errors_shown', sa.Integer(), server_default='0', nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['condition_id'], ['lab_conditions.id'], name=op.f('fk_lab_attempts_condition_id_lab_conditions')),
    sa.ForeignKeyConstraint(['course_exercise_id'], ['lab_course_exercises.id'], name=op.f('fk_lab_attempts_course_exercise_id_lab_course_exercises')),
    sa.ForeignKeyConstraint(['participant_id'], ['lab_participants.id'], name=op.f('fk_lab_attempts_participant_id_lab_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_attempts'))
    )
    with op.batch_alter_table('lab_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_attempts_condition_id'), ['condition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_attempts_course_exercise_id'), ['course_exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_attempts_participant_id'), ['participant_id'], unique=False)

    op.create_table('lab_sus_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.String(length=40), nullable=False),
    sa.Column('score', webshop.dbtypes.ScaledDecimal(scale=1), nullable=False),
    sa.Column('created_at', webshop.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['lab_participants.id'], name=op.f('fk_lab_sus_responses_participant_id_lab_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_sus_responses')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_lab_sus_responses_participant_id'))
    )
    # ### end Alembic commands ###

    # lab_participants and lab_attempts refer to each other: the participant's running attempt is added last.
    with op.batch_alter_table('lab_participants', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_lab_participants_current_attempt_id_lab_attempts'),
                                    'lab_attempts', ['current_attempt_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('lab_participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lab_participants_current_attempt_id_lab_attempts'), type_='foreignkey')
    op.drop_table('lab_sus_responses')
    op.drop_table('lab_attempts')
    op.drop_table('lab_participants')
    op.drop_table('lab_course_exercises')
    op.drop_table('lab_conditions')
    op.drop_table('lab_courses')
    op.drop_table('lab_exercises')
