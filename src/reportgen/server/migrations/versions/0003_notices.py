"""The office's notices to units (to all, or to the late ones) and who has read them; a unit's
e-mail address for the notices sent by mail; and the one-time passwords a user must change at
the first login (issue #21)."""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("units", sa.Column("email", sa.String(200), nullable=True))
    op.add_column("users", sa.Column("must_change", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("audience", sa.String(10), nullable=False),  # all | late
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "notice_units",  # the units a notice went to, and when each read it
        sa.Column("notice_id", sa.Integer, sa.ForeignKey("notices.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("read_at", sa.DateTime, nullable=True),
        sa.Column("mailed", sa.String(200), nullable=True),  # the address it was mailed to, or why not
    )


def downgrade() -> None:
    op.drop_table("notice_units")
    op.drop_table("notices")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change")
    with op.batch_alter_table("units") as batch:
        batch.drop_column("email")
