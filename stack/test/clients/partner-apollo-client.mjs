// A partner's program: Apollo Client 4 with the persisted-query link, ids from the manifest, GET for queries.
// Run by stack/test/partner-client.test.ts (as a plain node process, as a partner would run it); prints JSON results.
import { readFile } from 'node:fs/promises';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import partner from '@umt/partner-client';

const { GATEWAY_URL, API_KEY, PROJECT_ID } = process.env;
const requests = [];
const manifest = JSON.parse(await readFile(partner.MANIFEST_PATH, 'utf8'));

const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: createPersistedQueryLink({
    ...generatePersistedQueryIdsFromManifest({ loadManifest: async () => manifest }),
    useGETForHashedQueries: true,
  }).concat(
    new HttpLink({
      uri: GATEWAY_URL,
      headers: { 'x-api-key': API_KEY, 'apollo-require-preflight': 'true' },
      fetch: async (url, init) => {
        requests.push({ method: init?.method ?? 'GET', hasQueryText: /"query"\s*:|[?&]query=/.test(String(init?.body ?? url)) });
        return fetch(url, init);
      },
    }),
  ),
});

const brands = await client.query({ query: partner.PartnerBrandsDocument, variables: { first: 10 }, fetchPolicy: 'network-only' });
const created = await client.mutate({
  mutation: partner.PartnerCreateContentDocument,
  variables: { input: { projectId: PROJECT_ID, channel: 'LINKEDIN', title: 'From a partner', body: 'Hello' } },
});
process.stdout.write(`${JSON.stringify({ brands: brands.data, created: created.data, requests })}\n`);
