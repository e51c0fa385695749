// The baseline: a bare express 5 JSON echo, in its own process like Homeward, on the same machine.
import express from 'express';

const app = express();
app.post('/echo', express.json(), (req, res) => {
  res.json(req.body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
