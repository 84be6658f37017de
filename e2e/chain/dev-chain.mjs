// The local chain of `make dev` (scripts/dev.sh): anvil from npm (e2e/chain.js) as Sepolia
// (chain id 11155111) on 127.0.0.1:8545, mining each transaction at once and a block every 2 s
// (so confirmations advance by themselves), the test ERC-20 at Sepolia's USDC address, and
// 1,000 USDC minted to each of anvil's ten development accounts (10,000 ETH each already).
// Prints one line once all that is ready (also into the file $DEV_CHAIN_READY, if set, which
// scripts/dev.sh waits for), then runs until killed; SIGINT or SIGTERM stop anvil (and anvil
// dies with this process in any case: see startChain).
//
//   node e2e/chain/dev-chain.mjs [--port 8545] [--block-time 2]
//
// Development only: the accounts' keys are the well-known test mnemonic's; never use them,
// or this chain id, with real funds.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startChain, deployToken, MNEMONIC, SEPOLIA_CHAIN_ID } from '../chain.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8545' }, 'block-time': { type: 'string', default: '2' } },
});
const port = Number(values.port);
const blockTime = Number(values['block-time']);
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`dev-chain: bad --port ${values.port}`);
if (!(blockTime > 0)) throw new Error(`dev-chain: bad --block-time ${values['block-time']}`);

const USDC_EACH = 1_000n * 10n ** 6n;

let chain;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await chain?.stop();
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  chain = await startChain({
    port,
    chainId: SEPOLIA_CHAIN_ID,
    args: ['--block-time', String(blockTime), '--mixed-mining'],
  });
  const usdc = await deployToken(chain);
  await Promise.all(chain.accounts.map((a) => usdc.mint(a.address, USDC_EACH)));
  const line = `local chain: anvil on ${chain.rpcUrl} (chain id ${SEPOLIA_CHAIN_ID}, as Sepolia; a block every `
    + `${blockTime} s), USDC at ${usdc.address}; anvil's 10 dev accounts (mnemonic "${MNEMONIC}") `
    + 'hold 10,000 ETH and 1,000 USDC each';
  console.log(line);
  if (process.env.DEV_CHAIN_READY) writeFileSync(process.env.DEV_CHAIN_READY, line + '\n');
} catch (e) {
  console.error(`dev-chain: ${e.message}`);
  await stop(1);
}

// Keep running (startChain does not hold the process open); exit if anvil goes away.
setInterval(() => {
  if (stopping) return;
  chain.rpc('eth_chainId').catch(async () => {
    if (stopping) return;
    console.error(`dev-chain: anvil on ${chain.rpcUrl} stopped answering:\n${chain.output().slice(-2000)}`);
    await stop(1);
  });
}, 5_000);
