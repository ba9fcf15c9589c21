"""A version keeps the tables its clerk confirmed as truly empty (本表确无数据（全部为0）): a
report whose table is all zeros is submitted only with that confirmation (issue #18)."""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("versions", sa.Column("zero_tables", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("zero_tables")
