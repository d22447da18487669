/**
 * The baseline of the service-throughput benchmark: a bare Express 5 app answering GET /api/products/:id
 * with the same JSON the product service returns, and nothing else (no middleware, no logging, no metrics).
 *   PORT=<port> PRODUCT_JSON='<json>' node dist/bench/service-throughput/bare-express.js
 */
import express from 'express';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port < 1)
  throw new Error(`PORT must be a port number (got ${process.env.PORT})`);
const product: unknown = JSON.parse(process.env.PRODUCT_JSON ?? '{}');

const app = express();
app.get('/ready', (_req, res) => {
  res.json({ status: 'ready' });
});
app.get('/api/products/:id', (_req, res) => {
  res.json(product);
});
const server = app.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
