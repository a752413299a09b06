"""PostgreSQL: a trigram index on the children's search words, for a name search whose words are rare in a big scope.

A search keeps the rows whose `search_text` has every typed word at the start of a word (`LIKE '% word%'`, see
`registry.selectors.search_filter`). Walking a province's children in name order finds the first page of a common
name at once, but a rare full name, and the capped count of any search with fewer than 1,000 matches, walked the
whole province (145 ms at 330,000 children, 480 ms p95 under load). With the GIN trigram index the planner fetches
the few candidate rows of rare words instead. SQLite has no such index; its walk stays fast enough there (measured in
bench/README.md). pg_trgm is a trusted extension: the database's owner creates it without being a superuser.
"""

from django.db import migrations

INDEX = "child_search_trgm"


def create(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_child USING gin (search_text gin_trgm_ops)")


def drop(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0018_child_list_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
