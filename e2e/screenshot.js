// Takes the README's screenshot of the demo (docs/demo.png): `node e2e/screenshot.js`
// after `make build` (needs the devserver binary).
import { startDevserver, launchBrowser, ROOT } from './lib.js';
import path from 'node:path';

const server = await startDevserver(8793);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 980 } });
  await page.goto(server.base + '/');
  await page.getByTestId('create').click();
  await page.getByTestId('qr').waitFor();
  await page.screenshot({ path: path.join(ROOT, 'docs/demo.png') });
} finally {
  await browser.close();
  await server.stop();
}
