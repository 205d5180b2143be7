"""The models and the migrations agree: a change of a model without its migration fails here."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_reviewer_assignments_keep_their_rows_when_they_move_to_the_periods_app():
    """Migrations 0016 (assessments) and 0003 (accounts) move ReviewerAssignment between apps: rows written
    before the move are the same rows after it, and the role groups nothing checked are gone."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("assessments", "0015_audit_outside_periods"), ("accounts", "0002_passwordresetrequest")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    reviewer = old.get_model("auth", "User").objects.create(username="binh")
    old.get_model("auth", "Group").objects.create(name="reviewer")
    framework = old.get_model("assessments", "FrameworkVersion").objects.create(
        code="t", version=1, name="Thử", source="QĐ thử", text="", sha256="0" * 64)
    group = old.get_model("assessments", "FrameworkGroup").objects.create(framework=framework, code="huyen",
                                                                         name="Khối huyện")
    period = old.get_model("assessments", "Period").objects.create(year=2023, name="Kỳ 2023", framework=framework)
    old.get_model("accounts", "ReviewerAssignment").objects.create(period=period, reviewer=reviewer, group=group)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from django.contrib.auth.models import Group

    from dti.assessments.models import ReviewerAssignment

    moved = ReviewerAssignment.objects.get()
    assert (moved.period_id, moved.reviewer.username, moved.group.code) == (period.pk, "binh", "huyen")
    assert ReviewerAssignment._meta.db_table == "assessments_reviewerassignment"
    assert not Group.objects.filter(name="reviewer").exists()


@pytest.mark.django_db(transaction=True)
def test_a_stored_reviewed_declaration_becomes_a_submitted_one_whose_review_is_read_from_its_entries():
    """Migration 0017: "reviewed" is no longer stored; a declaration stored as reviewed is a submitted one."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("assessments", "0016_reviewer_assignment")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    framework = old.get_model("assessments", "FrameworkVersion").objects.create(
        code="t", version=1, name="Thử", source="QĐ thử", text="", sha256="0" * 64)
    group = old.get_model("assessments", "FrameworkGroup").objects.create(framework=framework, code="xa",
                                                                         name="Khối xã")
    period = old.get_model("assessments", "Period").objects.create(year=2026, name="Kỳ 2026", framework=framework)
    Unit = old.get_model("assessments", "Unit")
    Participation = old.get_model("assessments", "Participation")
    Declaration = old.get_model("assessments", "Declaration")
    for name, state in (("Xã An Bình", "reviewed"), ("Xã Tân Lập", "draft")):
        participation = Participation.objects.create(period=period, unit=Unit.objects.create(name=name), group=group)
        Declaration.objects.create(participation=participation, state=state)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from dti.assessments.models import Declaration as Current

    assert dict(Current.objects.values_list("participation__unit__name", "state")) == {
        "Xã An Bình": "submitted", "Xã Tân Lập": "draft"}
