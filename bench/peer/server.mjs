// The Neo4j GraphQL Library serving SRM's graph, for `python -m bench.api --peer`.
// Usage: node server.mjs PORT BOLT_URI DATABASE
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const [port, uri, database] = process.argv.slice(2);

// The subset of SRM's Profile that the benchmark queries select.
const typeDefs = `#graphql
  type Profile @node {
    id: ID! @alias(property: "profile_key")
    handle: String
    platform: String
    influenceScore: Float @alias(property: "influence_score")
    followers: [Profile!]! @relationship(type: "FOLLOWS", direction: IN)
  }
`;

const driver = neo4j.driver(uri, neo4j.auth.basic("neo4j", "unused"));
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: "127.0.0.1" },
  context: async () => ({ sessionConfig: { database } }),
});
console.log(`ready ${url}`);
