package io.matrixinstall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table-of-contents check against what pg_restore -l really prints: the whole listing of a fresh Synapse 1.163
 * install's dump (taken with the agent's own pg_dump) passes; anything else is named. The catalog check and the
 * loading role are proven on a real PostgreSQL by MigrateIT.
 */
class SynapseSchemaTest {

    private static String synapseListing() throws IOException {
        try (InputStream in = SynapseSchemaTest.class.getResourceAsStream("synapse-1.163-dump.toc")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSynapseDumpListsOnlySynapsesSchemaAndData() throws IOException {
        String listing = synapseListing();
        assertTrue(listing.lines().filter(l -> !l.startsWith(";")).count() > 800, "the whole listing");
        assertEquals(List.of(), SynapseSchema.foreignEntries(listing));
        // Privileges (skipped by --no-acl), the public schema's entry and an old dump's empty owner pass too.
        assertEquals(List.of(), SynapseSchema.foreignEntries("""
                5001; 0 0 ACL - SCHEMA public pg_database_owner
                5002; 0 0 ACL public TABLE users synapse
                5003; 0 0 DEFAULT ACL - DEFAULT PRIVILEGES FOR TABLES synapse
                6; 2615 2200 SCHEMA - public pg_database_owner
                5004; 0 0 COMMENT - SCHEMA public pg_database_owner
                420; 1255 17632 FUNCTION public check_event_stream_ordering() \n"""));
    }

    @Test
    void everythingElseIsNamed() {
        assertEquals(List.of("FUNCTION public pwn() synapse", "MATERIALIZED VIEW public users synapse",
                "MATERIALIZED VIEW DATA public users synapse"), SynapseSchema.foreignEntries("""
                ;
                ; Selected TOC Entries:
                ;
                215; 1255 21568 FUNCTION public pwn() synapse
                214; 1259 21569 MATERIALIZED VIEW public users synapse
                3340; 0 21569 MATERIALIZED VIEW DATA public users synapse
                """));
        assertEquals(List.of("FUNCTION public check_event_stream_ordering(integer) synapse",
                "FUNCTION evil check_event_stream_ordering() synapse",
                "TRIGGER public users check_event_stream_ordering synapse",
                "SCHEMA - synapse synapse", "EXTENSION - plperlu", "LANGUAGE - plperlu synapse",
                "EVENT TRIGGER - pwn synapse", "VIEW public v synapse", "RULE public r synapse", "POLICY public t p synapse",
                "TYPE public e synapse", "DOMAIN public d synapse", "OPERATOR public === synapse", "CAST - CAST (integer AS text)",
                "DATABASE - synapse synapse", "DATABASE PROPERTIES - synapse synapse", "BLOB - 16390 synapse",
                "SERVER - s synapse", "PUBLICATION - p synapse", "AGGREGATE public a(integer) synapse",
                "PROCEDURE public p() synapse", "TABLE ATTACH public t_1 synapse", "INDEX ATTACH public i_1 synapse"),
                SynapseSchema.foreignEntries("""
                1; 1255 1 FUNCTION public check_event_stream_ordering(integer) synapse
                2; 1255 2 FUNCTION evil check_event_stream_ordering() synapse
                3; 2620 3 TRIGGER public users check_event_stream_ordering synapse
                4; 2615 4 SCHEMA - synapse synapse
                5; 3079 5 EXTENSION - plperlu \n6; 2612 6 LANGUAGE - plperlu synapse
                7; 3466 7 EVENT TRIGGER - pwn synapse
                8; 1259 8 VIEW public v synapse
                9; 2618 9 RULE public r synapse
                10; 3256 10 POLICY public t p synapse
                11; 1247 11 TYPE public e synapse
                12; 1247 12 DOMAIN public d synapse
                13; 2617 13 OPERATOR public === synapse
                14; 2605 14 CAST - CAST (integer AS text) \n15; 1262 15 DATABASE - synapse synapse
                16; 0 0 DATABASE PROPERTIES - synapse synapse
                17; 2613 16390 BLOB - 16390 synapse
                18; 1417 18 SERVER - s synapse
                19; 6104 19 PUBLICATION - p synapse
                20; 1255 20 AGGREGATE public a(integer) synapse
                21; 1255 21 PROCEDURE public p() synapse
                22; 0 0 TABLE ATTACH public t_1 synapse
                23; 0 0 INDEX ATTACH public i_1 synapse
                """));
    }

    @Test
    void theCatalogCheckKnowsEachSynapseFunctionByItsBody() {
        String query = SynapseSchema.catalogCheck();
        SynapseSchema.FUNCTIONS.forEach((signature, hash) -> assertTrue(query.contains("('" + signature + "', '" + hash + "')"),
                signature));
        assertTrue(query.contains("regexp_replace(p.prosrc, '\\s+', ' ', 'g')"), query);
        assertTrue(query.contains("NOT LIKE 'pg\\_temp\\_%'"), query);
    }

    @Test
    void aDumpFromOutsideIsListedThenLoadedByItsOwnRoleWhichThenHandsEverythingToSynapse() {
        assertEquals(List.of("sh", "-c", "exec docker exec -i \"$1\" pg_restore -l < \"$2\"", "sh", "c0ffee", "/b/database.dump"),
                Commands.pgRestoreList("c0ffee", Path.of("/b/database.dump")).argv());
        assertEquals("DROP ROLE IF EXISTS synapse_import; CREATE ROLE synapse_import LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                + " NOREPLICATION NOBYPASSRLS", last(Commands.recreateUnprivilegedRole("c0ffee", SynapseDatabase.LOADER).argv()));
        assertEquals("CREATE DATABASE synapse_incoming WITH TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
                + " OWNER synapse_import", last(Commands.createSynapseStyleDatabase("c0ffee", "synapse_incoming",
                SynapseDatabase.LOADER).argv()));
        assertEquals(List.of("sh", "-c", "exec docker exec -i \"$1\" pg_restore -U \"$2\" -d \"$3\" --no-owner --no-acl"
                + " --exit-on-error < \"$4\"", "sh", "c0ffee", "synapse_import", "synapse_incoming", "/b/database.dump"),
                Commands.pgRestoreFromHostFileAs("c0ffee", SynapseDatabase.LOADER, "synapse_incoming",
                        Path.of("/b/database.dump")).argv());
        assertEquals(List.of("docker", "exec", "c0ffee", "psql", "-U", "synapse_import", "-d", "synapse_incoming", "-v",
                "ON_ERROR_STOP=1", "-X", "-q", "-t", "-A", "-c", "TRUNCATE e2e_one_time_keys_json"),
                Commands.sqlAs("c0ffee", SynapseDatabase.LOADER, "synapse_incoming", "TRUNCATE e2e_one_time_keys_json").argv());
        assertEquals("REASSIGN OWNED BY synapse_import TO synapse; DROP OWNED BY synapse_import; DROP ROLE synapse_import",
                last(Commands.handOverAndDropRole("c0ffee", "synapse_incoming", SynapseDatabase.LOADER).argv()));
    }

    private static String last(List<String> argv) {
        return argv.get(argv.size() - 1);
    }
}
