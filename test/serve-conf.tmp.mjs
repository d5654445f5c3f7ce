import { startServer, API_KEY } from '/work/main/dist/test/e2e/transport/helpers.js';
const s = await startServer({ DOCSPACE_API_KEY: API_KEY, DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '0', DOCSPACE_SERVER_RATE_LIMITS_PRINCIPAL_CAPACITY: '0' });
console.log(s.url);
process.on('SIGTERM', async () => { await s.close(); process.exit(0); });
