"""The first schema: units, users, sessions, reports and their versions, the audit log, login
attempts, settings."""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("units", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(200), nullable=False, unique=True),
                    sa.Column("kind", sa.String(20), nullable=False))
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("username", sa.String(100), nullable=False, unique=True),
                    sa.Column("password_hash", sa.String(200), nullable=False),
                    sa.Column("role", sa.String(10), nullable=False),
                    sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
                    sa.Column("active", sa.Boolean, nullable=False))
    op.create_table("sessions", sa.Column("token_hash", sa.String(64), primary_key=True),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("csrf", sa.String(64), nullable=False),
                    sa.Column("expires_at", sa.DateTime, nullable=False))
    op.create_table("reports", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
                    sa.Column("year", sa.Integer, nullable=False),
                    sa.Column("status", sa.String(12), nullable=False),
                    sa.Column("version", sa.Integer, nullable=False),
                    sa.Column("comment", sa.Text, nullable=True),
                    sa.UniqueConstraint("unit_id", "year"))
    op.create_table("versions", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
                    sa.Column("number", sa.Integer, nullable=False),
                    sa.Column("data", sa.Text, nullable=False),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("saved_at", sa.DateTime, nullable=False),
                    sa.UniqueConstraint("report_id", "number"))
    op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("at", sa.DateTime, nullable=False),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
                    sa.Column("action", sa.String(40), nullable=False),
                    sa.Column("target", sa.String(200), nullable=False),
                    sa.Column("detail", sa.Text, nullable=True))
    op.create_table("login_attempts", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("key", sa.String(200), nullable=False, index=True),
                    sa.Column("at", sa.DateTime, nullable=False))
    op.create_table("settings", sa.Column("key", sa.String(40), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))


def downgrade() -> None:
    for name in ("settings", "login_attempts", "audit", "versions", "reports", "sessions", "users", "units"):
        op.drop_table(name)
