"""The browsable archive's copy of the database: French views, local times, search on notes.

``veilleur archive`` never writes to the team's database: it copies it (online backup, source
opened read-only) and this module shapes the *copy*, which Datasette then serves immutable.
SQLite has no time-zone database, so the copy gets a table of UTC offsets, one row per period
between two DST changes of ``VEILLEUR_TZ`` (worked out in Python with zoneinfo); every local time
in the views is the stored UTC time plus the offset of the period it falls in, which stays right
on both sides of a change and in any SQLite client, with no function to register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sqlite_utils import Database

ZONE_TABLE = "_fuseau_horaire"
ERROR_TABLE = "_erreurs_flux"
# A feed keeps "server_error:502" when the HTTP status is known: the code is what comes before ":".
_ERROR_CODE = (
    "substr(coalesce(f.paused_reason, f.last_error), 1,"
    " instr(coalesce(f.paused_reason, f.last_error) || ':', ':') - 1)"
)
NOTES_TABLE = "_notes"  # the table is renamed in the copy: the view « notes » takes its name
NOTES_FTS = "notes_fts"
VIEWS = ("articles", "notes", "sessions", "décisions", "historique", "flux")
NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"


def local(expression: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Return SQL for ``expression`` (a stored UTC time) as local wall-clock text."""
    return (
        f"strftime('{fmt}', {expression}, (SELECT z.decalage FROM {ZONE_TABLE} z"
        f" WHERE z.debut <= {expression} AND {expression} < z.fin))"
    )


def name(user_column: str) -> str:
    """Return SQL for the stored name of the Slack user in ``user_column`` (else the ID)."""
    return f"coalesce((SELECT p.name FROM people p WHERE p.user_id = {user_column}), {user_column})"


def columns(db: Database, table: str) -> list[str]:
    """Return the column names of ``table`` in the copy."""
    return [row[1] for row in db.execute(f"PRAGMA table_info([{table}])").fetchall()]


def prepare_copy(
    db: Database,
    offsets: Iterable[tuple[str, str, str]],
    error_texts: Mapping[str, str],
    to_names: Callable[[str], str],
) -> None:
    """Shape the archive copy: offsets, error texts, names in texts, notes search, the views."""
    db.execute("PRAGMA journal_mode = DELETE")  # served immutable: no WAL beside it
    with db.conn:
        db.execute(f"CREATE TABLE {ZONE_TABLE} (debut TEXT PRIMARY KEY, fin TEXT, decalage TEXT)")
        db.conn.executemany(f"INSERT INTO {ZONE_TABLE} VALUES (?, ?, ?)", list(offsets))
        db.execute(f"CREATE TABLE {ERROR_TABLE} (code TEXT PRIMARY KEY, texte TEXT NOT NULL)")
        db.conn.executemany(f"INSERT INTO {ERROR_TABLE} VALUES (?, ?)", list(error_texts.items()))
        # deleted notes are the author's choice: they leave the archive altogether
        db.execute("DELETE FROM notes WHERE deleted = 1")
        db.execute(f"ALTER TABLE notes RENAME TO {NOTES_TABLE}")
        db.conn.create_function("veilleur_names", 1, to_names, deterministic=True)
        for table in (NOTES_TABLE, "decisions", "agenda_points"):
            db.execute(f"UPDATE {table} SET text = veilleur_names(text) WHERE text LIKE '%<@%'")
        db.execute("UPDATE items_fts SET notes = veilleur_names(notes) WHERE notes LIKE '%<@%'")
        db.execute(
            f"CREATE VIRTUAL TABLE {NOTES_FTS} USING fts5 (text, content='{NOTES_TABLE}',"
            " content_rowid='id', tokenize = 'unicode61 remove_diacritics 2')"
        )
        db.execute(f"INSERT INTO {NOTES_FTS} ({NOTES_FTS}) VALUES ('rebuild')")
        deadline = next((c for c in columns(db, "items") if c.startswith("deadline")), None)
        for statement in view_statements(deadline):
            db.execute(statement)


ITEM_STATES = (
    "CASE i.status WHEN 'open' THEN 'libre' WHEN 'claimed' THEN 'pris' WHEN 'done' THEN 'traité'"
    " WHEN 'dismissed' THEN 'écarté' ELSE i.status END"
)
ACTIONS = (
    "CASE e.action WHEN 'claimed' THEN 'pris' WHEN 'released' THEN 'lâché' WHEN 'done' THEN"
    " 'traité' WHEN 'dismissed' THEN 'écarté' WHEN 'reopened' THEN 'rouvert' WHEN 'flagged' THEN"
    " 'pour la lettre' WHEN 'unflagged' THEN 'retiré de la lettre' WHEN 'noted' THEN 'note'"
    " WHEN 'post_failed' THEN 'publication échouée' ELSE e.action END"
)


def _deadline_column(deadline: str | None) -> str:
    if deadline is None:
        return ""
    value = f"i.[{deadline}]"
    return f', CASE WHEN length({value}) <= 10 THEN {value} ELSE {local(value)} END AS "échéance"'


def view_statements(deadline: str | None = None) -> list[str]:
    """Return the CREATE VIEW statements of the archive (French names, local times, names)."""
    return [
        f"""CREATE VIEW articles AS SELECT i.id AS "n°", i.title AS "titre", i.link AS "lien",
  i.summary AS "résumé", {ITEM_STATES} AS "état", {name("i.owner")} AS "pris par",
  CASE i.newsletter WHEN 1 THEN 'oui' ELSE 'non' END AS "pour la lettre",
  (SELECT group_concat(v, ', ') FROM (SELECT DISTINCT coalesce(nullif(f.title, ''), f.url) AS v
    FROM item_sources s JOIN feeds f ON f.id = s.feed_id WHERE s.item_id = i.id)) AS "vu dans",
  (SELECT group_concat(v, ', ') FROM (SELECT DISTINCT nullif(f.origin, '') AS v
    FROM item_sources s JOIN feeds f ON f.id = s.feed_id WHERE s.item_id = i.id)) AS "origine",
  {local("i.first_seen_at")} AS "vu le", {local("i.published_at")} AS "publié le",
  (SELECT count(*) FROM {NOTES_TABLE} n WHERE n.item_id = i.id) AS "notes",
  i.channel_id AS "canal"{_deadline_column(deadline)}
FROM items i""",
        f"""CREATE VIEW notes AS SELECT n.id AS "n°", n.text AS "texte", {name("n.author")} AS "auteur",
  i.title AS "article", n.item_id AS "n° article", {local("n.created_at")} AS "écrite le",
  {local("n.updated_at")} AS "modifiée le"
FROM {NOTES_TABLE} n JOIN items i ON i.id = n.item_id""",
        f"""CREATE VIEW "sessions" AS SELECT m.id AS "n°", m.title AS "titre",
  {local("m.starts_at")} AS "date", m.place AS "lieu",
  CASE WHEN m.status = 'cancelled' THEN 'annulée' WHEN m.starts_at < {NOW} THEN 'passée'
    WHEN m.status = 'scheduled' THEN 'prévue' ELSE m.status END AS "état",
  (SELECT group_concat(a.position || '. ' || a.text, char(10)) FROM
    (SELECT * FROM agenda_points WHERE meeting_id = m.id ORDER BY position) a) AS "ordre du jour",
  (SELECT count(*) FROM decisions d WHERE d.meeting_id = m.id) AS "décisions",
  {name("m.created_by")} AS "créée par", m.channel_id AS "canal"
FROM meetings m""",
        f"""CREATE VIEW "décisions" AS SELECT d.id AS "n°", d.text AS "texte",
  {name("d.owner")} AS "responsable", d.due_date AS "échéance",
  CASE d.status WHEN 'open' THEN 'ouverte' WHEN 'done' THEN 'faite' ELSE d.status END AS "état",
  m.title AS "session", d.meeting_id AS "n° session", {local("d.created_at")} AS "prise le",
  {local("d.done_at")} AS "faite le", {name("d.done_by")} AS "faite par",
  {name("d.created_by")} AS "notée par"
FROM decisions d LEFT JOIN meetings m ON m.id = d.meeting_id""",
        f"""CREATE VIEW historique AS SELECT e.id AS "n°", {local("e.at")} AS "quand",
  {name("e.actor")} AS "qui", {ACTIONS} AS "quoi", i.title AS "article", e.item_id AS "n° article"
FROM item_events e JOIN items i ON i.id = e.item_id""",
        f"""CREATE VIEW flux AS SELECT f.id AS "n°", coalesce(nullif(f.title, ''), f.url) AS "titre",
  f.url AS "adresse", f.origin AS "origine", f.channel_id AS "canal",
  (SELECT count(*) FROM item_sources s WHERE s.feed_id = f.id) AS "articles",
  {local("f.last_success_at")} AS "dernière lecture réussie",
  coalesce((SELECT x.texte FROM {ERROR_TABLE} x WHERE x.code = {_ERROR_CODE}),
    f.paused_reason, f.last_error) AS "dernière erreur",
  f.error_count AS "échecs de suite", CASE f.paused WHEN 1 THEN 'oui' ELSE 'non' END AS "en pause",
  {name("f.added_by")} AS "ajouté par"
FROM feeds f WHERE f.removed_at IS NULL""",
    ]


CANNED_QUERIES = {
    "articles_pris_ce_mois": f"""SELECT {name("e.actor")} AS "personne", count(*) AS "articles pris"
FROM item_events e WHERE e.action = 'claimed'
  AND {local("e.at", "%Y-%m")} = {local(NOW, "%Y-%m")}
GROUP BY 1 ORDER BY 2 DESC, 1""",
    "decisions_ouvertes_par_responsable": """SELECT coalesce("responsable", '(personne)') AS
  "responsable", "n°", "texte", "échéance", "session"
FROM "décisions" WHERE "état" = 'ouverte'
ORDER BY "responsable" IS NULL, "responsable", "échéance" IS NULL, "échéance", "n°\"""",
    "flux_en_erreur": """SELECT "n°", "titre", "adresse", "dernière erreur", "échecs de suite",
  "en pause", "dernière lecture réussie", "ajouté par"
FROM flux WHERE "dernière erreur" IS NOT NULL ORDER BY "en pause" DESC, "échecs de suite" DESC""",
}


def object_names(db: Database) -> dict[str, str]:
    """Return every table and view of the copy with its type."""
    rows = db.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")
    return {row[0]: row[1] for row in rows.fetchall()}
