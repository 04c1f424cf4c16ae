package io.matrixinstall.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a dump from outside (a backup set, an old server's pg_dump) may hold: Synapse's schema and data, nothing else.
 * Synapse connects as the cluster's superuser, so anything a dump leaves in the database that runs later (a trigger
 * function, a column default, a check constraint, an index expression, a view, a rule) would run as the superuser the
 * next time Synapse writes a row. Two checks, both failing closed:
 * <ul>
 * <li>before loading, the archive's table of contents ({@code pg_restore -l}): only the kinds of entries Synapse's
 * schema has, and only Synapse's own functions and triggers by name;</li>
 * <li>after loading (as a role that is no superuser, so nothing in the archive could act beyond it meanwhile), the
 * loaded catalog: no schema but public, only tables, indexes and sequences, Synapse's four trigger functions with
 * exactly Synapse's bodies (their whitespace aside), triggers only on those, no rules, policies, types, operators,
 * casts, extensions, languages, event triggers, foreign servers, publications, large objects or database settings,
 * and in defaults, constraints and index expressions only calls of a few plain functions.</li>
 * </ul>
 * A later Synapse release that adds a function of its own makes this refuse such a dump until the list below knows
 * it; that is a clear one-line refusal, never a silent load.
 */
final class SynapseSchema {
    /**
     * Synapse's functions (all plpgsql trigger functions without arguments) and the SHA-256 of each one's body with
     * runs of whitespace made one space and the ends trimmed. Measured on Synapse 1.163's schema; the same bodies
     * since its schema deltas 74/04 (check_event_stream_ordering), 80/03 and 80/04 (the read-write lock parents),
     * and in both places check_partial_state_events is created (full schema 72 and delta 68/05).
     */
    static final Map<String, String> FUNCTIONS = Map.of(
            "check_event_stream_ordering()", "2c12314015019d911203cc529dbf3ac43c40aeef8c7ca96c94961f4e5d8a905e",
            "check_partial_state_events()", "59931718d933851d63b45edeffb98febf6322dc7ae9c10a98010e9d26d0dbede",
            "delete_read_write_lock_parent()", "da54485ea36c251936afc50f491e40bc1d856869a667e53741632d0cea57dd3d",
            "upsert_read_write_lock_parent()", "9f092d4bd2876ce4c30bb10e6b07b2dfee8de23ffa6c9a47e2fb37af56b51684");

    /** Synapse's triggers as {@code pg_restore -l} names them: "TABLE TRIGGER". */
    static final List<String> TRIGGERS = List.of(
            "current_state_events check_event_stream_ordering",
            "local_current_membership check_event_stream_ordering",
            "room_memberships check_event_stream_ordering",
            "partial_state_events check_partial_state_events",
            "worker_read_write_locks delete_read_write_lock_parent_trigger",
            "worker_read_write_locks upsert_read_write_lock_parent_trigger");

    /**
     * The entry kinds of Synapse's schema and data, plus privileges (ACL, DEFAULT ACL), which {@code --no-acl} skips.
     * FUNCTION, TRIGGER and SCHEMA are checked by name as well.
     */
    private static final List<String> KINDS = List.of("TABLE", "TABLE DATA", "INDEX", "CONSTRAINT", "FK CONSTRAINT",
            "CHECK CONSTRAINT", "SEQUENCE", "SEQUENCE SET", "SEQUENCE OWNED BY", "DEFAULT", "COMMENT", "ACL", "DEFAULT ACL",
            "FUNCTION", "TRIGGER", "SCHEMA");
    /** Kinds that begin with an allowed one's words (partitions: Synapse has none). */
    private static final List<String> LOOKALIKE_KINDS = List.of("TABLE ATTACH", "INDEX ATTACH");

    /**
     * Calls allowed in defaults, check constraints and index expressions (as PostgreSQL prints them, lower case):
     * what Synapse's schema uses, a few more functions without side effects, and type names printed with a modifier
     * ({@code character varying(255)}).
     */
    private static final List<String> CALLS = List.of("nextval", "now", "extract", "lower", "upper", "coalesce", "nullif",
            "greatest", "least", "length", "character", "varying", "varchar", "bpchar", "char", "numeric", "decimal",
            "timestamp", "time", "interval", "bit");

    private SynapseSchema() {}

    /** The entries of a {@code pg_restore -l} listing that are not Synapse's schema or data, as listed. */
    static List<String> foreignEntries(String listing) {
        List<String> kinds = KINDS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        List<String> foreign = new ArrayList<>();
        for (String line : listing.lines().toList()) {
            if (line.isBlank() || line.startsWith(";")) {
                continue;
            }
            // "ID; TABLEOID OID KIND SCHEMA NAME OWNER"; KIND and NAME may hold spaces.
            String entry = line.replaceFirst("^\\d+; \\d+ \\d+ ", "");
            String kind = kinds.stream().filter(k -> entry.startsWith(k + " ")).findFirst().orElse(null);
            if (kind == null || LOOKALIKE_KINDS.stream().anyMatch(k -> entry.startsWith(k + " "))
                    || !knownName(kind, entry.substring(kind.length() + 1) + " ")) {
                foreign.add(entry.strip());
            }
        }
        return foreign;
    }

    private static boolean knownName(String kind, String rest) {
        return switch (kind) {
            case "FUNCTION" -> FUNCTIONS.keySet().stream().anyMatch(f -> rest.startsWith("public " + f + " "));
            case "TRIGGER" -> TRIGGERS.stream().anyMatch(t -> rest.startsWith("public " + t + " "));
            case "SCHEMA" -> rest.startsWith("- public ");
            default -> true;
        };
    }

    /**
     * One query, run in the loaded database by the role that loaded it, printing one line for each thing in it that
     * Synapse's schema does not have; no line means the database holds Synapse's schema and data only.
     */
    static String catalogCheck() {
        String known = FUNCTIONS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(f -> "('" + f.getKey() + "', '" + f.getValue() + "')").collect(Collectors.joining(", "));
        String calls = CALLS.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
        return """
                WITH known(signature, hash) AS (VALUES %s),
                expressions(place, expr) AS (
                    SELECT 'the default of ' || a.adrelid::regclass || '.' || quote_ident(att.attname), pg_get_expr(a.adbin, a.adrelid)
                        FROM pg_attrdef a JOIN pg_attribute att ON att.attrelid = a.adrelid AND att.attnum = a.adnum
                    UNION ALL SELECT 'constraint ' || quote_ident(conname), pg_get_expr(conbin, conrelid) FROM pg_constraint
                        WHERE conbin IS NOT NULL AND connamespace = 'public'::regnamespace
                    UNION ALL SELECT 'index ' || indexrelid::regclass, pg_get_expr(indexprs, indrelid) FROM pg_index
                        WHERE indexprs IS NOT NULL
                    UNION ALL SELECT 'index ' || indexrelid::regclass, pg_get_expr(indpred, indrelid) FROM pg_index
                        WHERE indpred IS NOT NULL),
                problems(what) AS (
                    SELECT 'schema ' || quote_ident(nspname) FROM pg_namespace
                        WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema', 'pg_toast')
                        AND nspname NOT LIKE 'pg\\_temp\\_%%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%'
                    UNION ALL SELECT 'relation ' || oid::regclass || ' of kind ' || relkind::text FROM pg_class
                        WHERE relnamespace = 'public'::regnamespace AND relkind NOT IN ('r', 'i', 'S')
                    UNION ALL SELECT 'function ' || p.oid::regprocedure FROM pg_proc p
                        LEFT JOIN known k ON k.signature = p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                        WHERE p.pronamespace = 'public'::regnamespace AND (k.hash IS DISTINCT FROM
                            encode(sha256(convert_to(btrim(regexp_replace(p.prosrc, '\\s+', ' ', 'g')), 'UTF8')), 'hex')
                            OR p.prokind <> 'f' OR p.prosecdef OR p.proconfig IS NOT NULL OR p.prorettype <> 'trigger'::regtype
                            OR p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'plpgsql'))
                    UNION ALL SELECT 'trigger ' || quote_ident(tgname) || ' on ' || tgrelid::regclass FROM pg_trigger
                        WHERE NOT tgisinternal AND (tgqual IS NOT NULL
                            OR tgfoid NOT IN (SELECT oid FROM pg_proc WHERE pronamespace = 'public'::regnamespace))
                    UNION ALL SELECT 'rule ' || quote_ident(rulename) || ' on ' || quote_ident(tablename) FROM pg_rules
                        WHERE schemaname = 'public'
                    UNION ALL SELECT 'policy ' || quote_ident(polname) || ' on ' || polrelid::regclass FROM pg_policy
                    UNION ALL SELECT 'type ' || t.oid::regtype FROM pg_type t
                        WHERE t.typnamespace = 'public'::regnamespace AND t.typrelid = 0
                        AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typrelid <> 0)
                    UNION ALL SELECT 'operator ' || oid::regoperator FROM pg_operator WHERE oprnamespace = 'public'::regnamespace
                    UNION ALL SELECT 'operator family ' || quote_ident(opfname) FROM pg_opfamily
                        WHERE opfnamespace = 'public'::regnamespace
                    UNION ALL SELECT 'collation ' || quote_ident(collname) FROM pg_collation
                        WHERE collnamespace = 'public'::regnamespace
                    UNION ALL SELECT 'conversion ' || quote_ident(conname) FROM pg_conversion
                        WHERE connamespace = 'public'::regnamespace
                    UNION ALL SELECT 'text search configuration ' || quote_ident(cfgname) FROM pg_ts_config
                        WHERE cfgnamespace = 'public'::regnamespace
                    UNION ALL SELECT 'text search dictionary ' || quote_ident(dictname) FROM pg_ts_dict
                        WHERE dictnamespace = 'public'::regnamespace
                    UNION ALL SELECT 'cast ' || castsource::regtype || ' as ' || casttarget::regtype FROM pg_cast WHERE oid >= 16384
                    UNION ALL SELECT 'extension ' || quote_ident(extname) FROM pg_extension WHERE oid >= 16384
                    UNION ALL SELECT 'language ' || quote_ident(lanname) FROM pg_language WHERE oid >= 16384
                    UNION ALL SELECT 'event trigger ' || quote_ident(evtname) FROM pg_event_trigger
                    UNION ALL SELECT 'foreign server ' || quote_ident(srvname) FROM pg_foreign_server
                    UNION ALL SELECT 'publication ' || quote_ident(pubname) FROM pg_publication
                    UNION ALL SELECT 'large object ' || oid FROM pg_largeobject_metadata
                    UNION ALL SELECT 'database setting ' || s FROM pg_db_role_setting, unnest(setconfig) s
                        WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
                    UNION ALL SELECT 'a call of ' || m[1] || ' in ' || place FROM expressions,
                        regexp_matches(expr, '([A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*")\\(', 'g') m
                        WHERE lower(m[1]) NOT IN (%s))
                SELECT DISTINCT what FROM problems ORDER BY what""".formatted(known, calls);
    }
}
