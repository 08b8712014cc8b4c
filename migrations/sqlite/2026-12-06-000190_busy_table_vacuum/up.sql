-- PostgreSQL only: the autovacuum settings of the tables rewritten all day.
-- SQLite keeps no dead row versions to vacuum (a deleted or updated row's
-- space is reused in place), so there is nothing to set here; the migration
-- exists so that both backends have the same list.
SELECT 1;
