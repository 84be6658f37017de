// A real local EVM chain for the end-to-end tests (issue 17): anvil from npm
// (@foundry-rs/anvil ships the binary in a per-platform package), a small ERC-20 compiled with
// solc from npm and deployed by a real transaction, then copied to the token address Payform
// knows (Sepolia's USDC), and a test EIP-1193 wallet injected into a Playwright page that
// announces itself by EIP-6963 and signs in Node with an anvil development key.
//
//   const chain = await startChain({ port: 8871 });            // chain id 11155111 (Sepolia's)
//   const usdc = await deployToken(chain);                      // at 0x1c7D…7238
//   await usdc.mint(chain.accounts[1].address, 5_000_000n);     // 5 USDC to the wallet's account
//   const wallet = await installTestWallet(page, chain);        // before page.goto
//   wallet.set({ reject: { eth_sendTransaction: WALLET_ERRORS.userRejected } });
//   wallet.requests();                                          // [{method, params}, …]
//   await chain.stop();
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { HDNodeWallet, Interface, Wallet, getAddress, id as keccakId } from 'ethers';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** anvil's default mnemonic: its accounts 0–9 are derived from it at m/44'/60'/0'/0/i. */
export const MNEMONIC = 'test test test test test test test test test test test junk';
/** The USDC contract Payform's core knows on Sepolia (chain id 11155111, 6 decimals). */
export const USDC_SEPOLIA = '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238';
export const SEPOLIA_CHAIN_ID = 11155111;
/** topic 0 of `Transfer(address,address,uint256)`. */
export const TRANSFER_TOPIC = keccakId('Transfer(address,address,uint256)');

/** Errors real wallets answer with, for `wallet.set({reject: {method: error}})`. */
export const WALLET_ERRORS = Object.freeze({
  userRejected: { code: 4001, message: 'MetaMask Tx Signature: User denied transaction signature.' },
  unauthorized: { code: 4100, message: 'The requested account and/or method has not been authorized by the user.' },
  pending: { code: -32002, message: "Request of type 'wallet_requestPermissions' already pending for origin. Please wait." },
  disconnected: { code: 4900, message: 'The provider is disconnected from all chains.' },
  chainDisconnected: { code: 4901, message: 'The provider is not connected to the requested chain.' },
  unknownChain: (chainIdHex) => ({
    code: 4902,
    message: `Unrecognized chain ID "${chainIdHex}". Try adding the chain using wallet_addEthereumChain first.`,
  }),
  /** MetaMask Mobile wraps 4902 in an internal error. */
  unknownChainMobile: (chainIdHex) => ({
    code: -32603,
    message: `Unrecognized chain ID "${chainIdHex}". Try adding the chain using wallet_addEthereumChain first.`,
    data: { originalError: { code: 4902, message: `Unrecognized chain ID "${chainIdHex}".` } },
  }),
  insufficientFunds: (address) => ({
    code: -32000,
    message: `insufficient funds for gas * price + value: address ${address} have 0 want 1`,
  }),
});

// ---------------------------------------------------------------------------------------------
// The node.

// anvil runs under a small sh watchdog holding the read end of a pipe from this process: when
// this process dies in any way (even SIGKILL, when no exit handler runs), the pipe closes and
// the watchdog kills anvil; when anvil exits, so does the watchdog. The watchdog leads its own
// process group, so stop() kills the group.
const WATCHDOG = 'exec 3<&0; "$0" "$@" </dev/null & p=$!; '
  + '{ while read -r _ <&3; do :; done; kill -9 $p 2>/dev/null; } & w=$!; '
  + 'wait $p; s=$?; kill $w 2>/dev/null; exit $s';

const liveGroups = new Set();
function killGroup(pid) {
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone already */ }
}
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => { for (const pid of liveGroups) killGroup(pid); });
}

/** The anvil binary: $ANVIL_BIN, else the one @foundry-rs/anvil installed for this platform. */
export function anvilPath() {
  if (process.env.ANVIL_BIN) {
    if (!existsSync(process.env.ANVIL_BIN)) throw new Error(`ANVIL_BIN=${process.env.ANVIL_BIN} does not exist`);
    return process.env.ANVIL_BIN;
  }
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const tried = [];
  try {
    const p = require.resolve(`${pkg}/bin/${exe}`);
    if (existsSync(p)) return p;
    tried.push(p);
  } catch { tried.push(`${pkg}/bin/${exe} (not resolvable)`); }
  try { // where @foundry-rs/anvil's postinstall downloads it when the platform package is absent
    const p = path.join(path.dirname(require.resolve('@foundry-rs/anvil/package.json')), '..', 'dist', exe);
    if (existsSync(p)) return p;
    tried.push(p);
  } catch { tried.push('@foundry-rs/anvil (not installed)'); }
  throw new Error(`anvil not found (tried ${tried.join(', ')}): run \`npm ci\` in e2e/ `
    + `(it installs @foundry-rs/anvil and its platform package ${pkg}), or set ANVIL_BIN`);
}

async function jsonRpc(url, method, params = []) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await r.json();
  if (body.error) {
    const e = new Error(`${method}: ${body.error.message}`);
    e.code = body.error.code;
    if (body.error.data !== undefined) e.data = body.error.data;
    e.rpcError = body.error;
    throw e;
  }
  return body.result;
}

let derived;
/** anvil's ten development accounts, `{address, privateKey}`, derived from MNEMONIC. */
export function devAccounts() {
  if (!derived) {
    const parent = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0");
    derived = Object.freeze(Array.from({ length: 10 }, (_, i) => {
      const w = parent.deriveChild(i);
      return Object.freeze({ address: w.address, privateKey: w.privateKey });
    }));
  }
  return derived;
}

const hex = (n) => '0x' + BigInt(n).toString(16);

/**
 * Starts anvil on 127.0.0.1:`port` with `chainId` (automining: each transaction is mined at
 * once) and resolves once it answers eth_chainId. anvil is killed by `stop()` and when this
 * process exits.
 */
export async function startChain({ port, chainId = SEPOLIA_CHAIN_ID, args = [] } = {}) {
  if (!port) throw new Error('startChain: a port is required');
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await jsonRpc(rpcUrl, 'eth_chainId');
    throw new Error(`startChain: something already answers JSON-RPC on ${rpcUrl} (a stale anvil?)`);
  } catch (e) {
    if (e.message.startsWith('startChain:')) throw e;
  }
  const bin = anvilPath();
  hookExit();
  const proc = spawn('/bin/sh', ['-c', WATCHDOG, bin,
    '--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  liveGroups.add(proc.pid);
  // A chain nobody stopped does not keep the test process alive (the exit hook kills it).
  proc.unref();
  for (const stream of [proc.stdin, proc.stdout, proc.stderr]) stream.unref?.();
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-16384); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  let exited = false;
  const exit = once(proc, 'exit').then(([code, signal]) => { exited = true; liveGroups.delete(proc.pid); return { code, signal }; });

  /** Kills anvil (and its watchdog); resolves once they are gone. */
  const stop = async () => {
    if (!exited) { proc.ref(); killGroup(proc.pid); await exit; }
  };
  let answered;
  for (let i = 0; i < 200 && !exited; i++) {
    try { answered = await jsonRpc(rpcUrl, 'eth_chainId'); break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  if (answered === undefined || exited) {
    await stop();
    throw new Error(`anvil did not start on ${rpcUrl}:\n${output}`);
  }
  if (BigInt(answered) !== BigInt(chainId)) {
    await stop();
    throw new Error(`anvil on ${rpcUrl} answers chain id ${answered}, not ${chainId}`);
  }
  const accounts = devAccounts();
  const nodeAccounts = await jsonRpc(rpcUrl, 'eth_accounts');
  if (nodeAccounts[0]?.toLowerCase() !== accounts[0].address.toLowerCase()) {
    await stop();
    throw new Error(`anvil's account 0 is ${nodeAccounts[0]}, not ${accounts[0].address} (another mnemonic?)`);
  }

  const chain = {
    rpcUrl,
    chainId,
    chainIdHex: hex(chainId),
    accounts,
    /** A JSON-RPC call to the node; an error answer throws an Error with `code` and `data`. */
    rpc: (method, params = []) => jsonRpc(rpcUrl, method, params),
    /** Mines `n` blocks at once. */
    mine: (n = 1) => jsonRpc(rpcUrl, 'anvil_mine', [hex(n)]),
    /** Turns mining on each transaction on or off (then `mine` makes blocks). */
    automine: (on) => jsonRpc(rpcUrl, 'evm_setAutomine', [Boolean(on)]),
    /** Signs `tx` (`{to, value, data, gas}`) in Node with dev account `from` (an index) and
     * sends it; resolves to the hash. */
    send: (from, tx) => sendTransaction(chain, accounts[from].privateKey, tx),
    /** Polls for the receipt of `hash` (default 10 s). */
    receipt: (hash, opts) => waitForReceipt(chain, hash, opts),
    balance: async (address) => BigInt(await jsonRpc(rpcUrl, 'eth_getBalance', [address, 'latest'])),
    /** The last 16 KiB anvil printed. */
    output: () => output,
    stop,
  };
  return chain;
}

/** Polls eth_getTransactionReceipt until `hash` is mined. */
export async function waitForReceipt(chain, hash, { timeout = 10_000 } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    const receipt = await chain.rpc('eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    if (Date.now() > until) throw new Error(`no receipt for ${hash} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// One queue per sender, so concurrent sends never take the same nonce.
const senderQueues = new Map();

/**
 * Builds an EIP-1559 transaction (nonce, gas estimate unless `tx.gas` is given, fees from the
 * node), signs it with `privateKey` using ethers' Wallet and sends it by eth_sendRawTransaction.
 * Resolves to the hash. A node error (e.g. -32003 insufficient funds) throws with its `code`.
 * When the estimate fails (the call would revert), `fallbackGas` is used so the transaction is
 * still sent and mined with status 0, as a wallet whose user clicks through its warning would.
 */
export function sendTransaction(chain, privateKey, tx, { fallbackGas = 200_000n } = {}) {
  const signer = new Wallet(privateKey);
  const key = signer.address;
  const prev = senderQueues.get(key) ?? Promise.resolve();
  const run = prev.catch(() => {}).then(async () => {
    const from = signer.address;
    const value = BigInt(tx.value ?? 0);
    const data = tx.data ?? tx.input ?? '0x';
    const call = { from, value: hex(value), data, ...(tx.to ? { to: tx.to } : {}) };
    let gasLimit;
    if (tx.gas !== undefined || tx.gasLimit !== undefined) gasLimit = BigInt(tx.gas ?? tx.gasLimit);
    else {
      try { gasLimit = BigInt(await chain.rpc('eth_estimateGas', [call])); } catch { gasLimit = BigInt(fallbackGas); }
    }
    const [nonce, block, tip] = await Promise.all([
      chain.rpc('eth_getTransactionCount', [from, 'pending']),
      chain.rpc('eth_getBlockByNumber', ['latest', false]),
      chain.rpc('eth_maxPriorityFeePerGas'),
    ]);
    const maxPriorityFeePerGas = BigInt(tip);
    const raw = await signer.signTransaction({
      type: 2,
      chainId: BigInt(chain.chainId),
      nonce: Number(nonce),
      to: tx.to ?? null,
      value,
      data,
      gasLimit,
      maxPriorityFeePerGas,
      maxFeePerGas: BigInt(block.baseFeePerGas ?? 0) * 2n + maxPriorityFeePerGas,
    });
    return chain.rpc('eth_sendRawTransaction', [raw]);
  });
  senderQueues.set(key, run);
  return run;
}

// ---------------------------------------------------------------------------------------------
// The token.

let compiled;
/** Token.sol compiled by solc from npm (once per process): `{abi, bytecode, deployedBytecode}`. */
export function compileToken() {
  if (compiled) return compiled;
  const solc = require('solc');
  const input = {
    language: 'Solidity',
    sources: { 'Token.sol': { content: readFileSync(path.join(HERE, 'chain', 'Token.sol'), 'utf8') } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: false },
      outputSelection: { 'Token.sol': { Token: ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const c = out.contracts['Token.sol'].Token;
  compiled = Object.freeze({
    abi: c.abi,
    bytecode: '0x' + c.evm.bytecode.object,
    deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    solcVersion: solc.version(),
  });
  return compiled;
}

/**
 * Deploys Token.sol by a transaction from dev account 0, then copies its runtime code with
 * anvil_setCode to `at` (default Sepolia's USDC). Returns the token at `at`:
 * `{address, deployedAt, iface, decimals, mint(to, atomic) → receipt, balanceOf(addr) → bigint,
 *   transfer(fromIndex, to, atomic, {gas}) → receipt, transfers({to, fromBlock}) → [{from, to, value, log}]}`.
 */
export async function deployToken(chain, { at = USDC_SEPOLIA } = {}) {
  const { abi, bytecode } = compileToken();
  const iface = new Interface(abi);
  const deployer = chain.accounts[0];
  const hash = await sendTransaction(chain, deployer.privateKey, { data: bytecode });
  const receipt = await waitForReceipt(chain, hash);
  if (receipt.status !== '0x1' || !receipt.contractAddress) throw new Error(`Token deploy failed: ${JSON.stringify(receipt)}`);
  const code = await chain.rpc('eth_getCode', [receipt.contractAddress, 'latest']);
  await chain.rpc('anvil_setCode', [at, code]);
  const address = getAddress(at);
  const call = async (fn, args) => iface.decodeFunctionResult(fn,
    await chain.rpc('eth_call', [{ to: address, data: iface.encodeFunctionData(fn, args) }, 'latest']));
  const sendAndWait = async (fromIndex, fn, args, extra = {}) => {
    const h = await chain.send(fromIndex, { to: address, data: iface.encodeFunctionData(fn, args), ...extra });
    return waitForReceipt(chain, h);
  };
  return {
    address,
    deployedAt: getAddress(receipt.contractAddress),
    iface,
    decimals: Number((await call('decimals', []))[0]),
    call,
    /** Mints `atomic` units to `to` (a transaction from dev account 0); resolves to the receipt. */
    mint: (to, atomic) => sendAndWait(0, 'mint', [to, BigInt(atomic)]),
    balanceOf: async (addr) => (await call('balanceOf', [addr]))[0],
    /** `transfer(to, atomic)` from dev account `fromIndex`; `gas` skips the estimate (which a
     * reverting transfer fails), so the transaction is mined and reverts. */
    transfer: (fromIndex, to, atomic, { gas } = {}) => sendAndWait(fromIndex, 'transfer', [to, BigInt(atomic)], gas ? { gas } : {}),
    /** The Transfer logs of this token (to `to`, if given) since `fromBlock`. */
    transfers: async ({ to, fromBlock = '0x0' } = {}) => {
      const topics = [TRANSFER_TOPIC, null, to ? '0x' + to.slice(2).toLowerCase().padStart(64, '0') : null];
      const logs = await chain.rpc('eth_getLogs', [{ address, fromBlock, toBlock: 'latest', topics }]);
      return logs.map((log) => {
        const ev = iface.parseLog(log);
        return { from: ev.args.from, to: ev.args.to, value: ev.args.value, log };
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The wallet.

const ICON = 'data:image/svg+xml;base64,' + Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f6feb"/>'
  + '<path d="M8 11h16v12H8z" fill="#fff"/><circle cx="20" cy="17" r="2" fill="#1f6feb"/></svg>',
).toString('base64');

// Methods the wallet answers by asking the node.
const PASSTHROUGH = new Set([
  'eth_blockNumber', 'eth_call', 'eth_estimateGas', 'eth_gasPrice', 'eth_maxPriorityFeePerGas', 'eth_feeHistory',
  'eth_getBalance', 'eth_getBlockByNumber', 'eth_getBlockByHash', 'eth_getCode', 'eth_getLogs', 'eth_getStorageAt',
  'eth_getTransactionByHash', 'eth_getTransactionCount', 'eth_getTransactionReceipt', 'web3_clientVersion',
]);

const QUANTITY = /^0x[1-9a-f][0-9a-f]*$/i; // what MetaMask accepts as a chainId: no leading zeros

const asChainId = (c) => Number(BigInt(c));

// The page side: a plain EIP-1193 provider that hands every request to the Node binding.
// Runs in every frame, before the page's own scripts (page.addInitScript).
function pageWallet({ binding, control, info, announce, legacy }) {
  const listeners = new Map();
  let gone = false;
  const captured = window[binding];
  const send = (msg) => (captured ?? window[binding])(msg);
  class ProviderRpcError extends Error {
    constructor({ code, message, data }) {
      super(message);
      this.code = code;
      if (data !== undefined) this.data = data;
    }
  }
  const emit = (name, data) => {
    for (const fn of [...(listeners.get(name) ?? [])]) {
      try { fn(data); } catch (e) { setTimeout(() => { throw e; }); }
    }
  };
  const provider = {
    isPayformTestWallet: true,
    async request(args) {
      if (!args || typeof args !== 'object' || typeof args.method !== 'string') {
        throw new ProviderRpcError({ code: -32600, message: 'Invalid request: expected {method, params}' });
      }
      const reply = await send({ method: args.method, params: args.params });
      for (const [name, data] of reply.events ?? []) emit(name, data);
      if (reply.hang) return new Promise(() => {});
      if (reply.error) throw new ProviderRpcError(reply.error);
      return reply.result;
    },
    on(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      return provider;
    },
    removeListener(name, fn) {
      listeners.get(name)?.delete(fn);
      return provider;
    },
  };
  const detail = Object.freeze({ info: Object.freeze({ ...info }), provider });
  const announceNow = () => {
    if (!gone) window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  };
  if (announce) {
    window.addEventListener('eip6963:requestProvider', announceNow);
    announceNow();
  }
  if (legacy) window.ethereum = provider;
  Object.defineProperty(window, control, {
    value: {
      emit,
      disappear() {
        gone = true;
        if (window.ethereum === provider) delete window.ethereum;
        emit('disconnect', new ProviderRpcError({ code: 4900, message: 'The provider is disconnected from all chains.' }));
      },
    },
  });
}

/**
 * Injects a test EIP-1193 wallet into `page` (call before `page.goto`): it announces itself by
 * EIP-6963 on load and on each `eip6963:requestProvider`, and hands every request to Node,
 * where it is recorded and answered; eth_sendTransaction is signed there with dev account
 * `account` (default 1) and sent to the node.
 *
 * opts: `{name, rdns, icon, uuid, announce = true, legacy = false (also window.ethereum),
 *   account = 1, chainId = chain's, knownChains = [chainId, chain's], connected = false,
 *   switchOnAdd = true, ...any of set()'s}`.
 *
 * Returns `{info, address, privateKey, requests(), sent(), added(), chainId(), set(opts),
 *   emit(event, data), disappear()}`. `set` (at any time) takes:
 *   - `reject`: `{method: error}` (error `{code, message, data, once}`; `once` clears it after
 *     one answer), or a method name with `error` (default WALLET_ERRORS.userRejected); null clears.
 *   - `hang`: a method name, a list of them, or true (all): those are never answered.
 *   - `delay`: `{method: ms}` before answering.
 *   - `knownChains`: chain ids the wallet can switch to (others answer 4902 until added).
 *   - `chainId`: the wallet's chain, as if the user switched in the wallet (emits chainChanged).
 *   - `alterValue`: a bigint (or function of the asked amount) sent instead of what was asked:
 *     the ERC-20 `transfer` amount in the calldata for a token transfer, else `value`.
 *   - `insufficientFunds`: true makes eth_sendTransaction fail as MetaMask does (-32000).
 *   - `connected`: whether eth_accounts already returns the account.
 */
export async function installTestWallet(page, chain, opts = {}) {
  const key = randomUUID().replace(/-/g, '').slice(0, 12);
  const info = {
    uuid: opts.uuid ?? randomUUID(),
    name: opts.name ?? 'Test Wallet',
    icon: opts.icon ?? ICON,
    rdns: opts.rdns ?? 'org.payform.testwallet',
  };
  const account = chain.accounts[opts.account ?? 1];
  const address = account.address;
  const initial = asChainId(opts.chainId ?? chain.chainId);
  const state = {
    chainId: initial,
    knownChains: new Set([initial, asChainId(chain.chainId)]),
    connected: Boolean(opts.connected),
    switchOnAdd: opts.switchOnAdd ?? true,
    reject: {},
    hang: new Set(),
    all: false,
    delay: {},
    alterValue: undefined,
    insufficientFunds: false,
    gone: false,
  };
  const requests = [];
  const sent = [];
  const added = [];
  const clone = (v) => (v === undefined ? undefined : structuredClone(v));

  const emitInPage = async (name, data) => {
    await Promise.all(page.frames().map((f) => f.evaluate(([c, n, d]) => window[c]?.emit(n, d), [control, name, data])
      .catch(() => {})));
  };

  const set = (o) => {
    if ('reject' in o) {
      if (o.reject === null || o.reject === undefined) state.reject = {};
      else if (typeof o.reject === 'string') state.reject = { [o.reject]: { ...(o.error ?? WALLET_ERRORS.userRejected) } };
      else state.reject = Object.fromEntries(Object.entries(o.reject).map(([m, e]) => [m, { ...e }]));
    }
    if ('hang' in o) {
      state.all = o.hang === true;
      state.hang = new Set(o.hang === true || !o.hang ? [] : [o.hang].flat());
    }
    if ('delay' in o) state.delay = { ...(o.delay ?? {}) };
    if ('knownChains' in o) state.knownChains = new Set([state.chainId, ...(o.knownChains ?? []).map(asChainId)]);
    if ('alterValue' in o) state.alterValue = o.alterValue;
    if ('insufficientFunds' in o) state.insufficientFunds = Boolean(o.insufficientFunds);
    if ('connected' in o) state.connected = Boolean(o.connected);
    if ('switchOnAdd' in o) state.switchOnAdd = Boolean(o.switchOnAdd);
    if ('chainId' in o && o.chainId !== undefined) {
      const next = asChainId(o.chainId);
      state.knownChains.add(next);
      if (next !== state.chainId) {
        state.chainId = next;
        return emitInPage('chainChanged', hex(next));
      }
    }
    return Promise.resolve();
  };

  const err = (code, message, data) => ({ error: { code, message, ...(data === undefined ? {} : { data }) } });
  const ok = (result, events) => ({ result, ...(events ? { events } : {}) });

  const methods = {
    eth_requestAccounts() {
      const events = state.connected ? undefined : [['accountsChanged', [address.toLowerCase()]]];
      state.connected = true;
      return ok([address.toLowerCase()], events);
    },
    eth_accounts: () => ok(state.connected ? [address.toLowerCase()] : []),
    eth_chainId: () => ok(hex(state.chainId)),
    net_version: () => ok(String(state.chainId)),
    wallet_switchEthereumChain(params) {
      const wanted = params?.[0]?.chainId;
      if (typeof wanted !== 'string' || !QUANTITY.test(wanted)) {
        return err(-32602, `Invalid parameters: expected [{chainId}] with chainId a 0x-hex quantity without leading zeros, got ${JSON.stringify(params)}`);
      }
      const next = asChainId(wanted);
      if (!state.knownChains.has(next)) return err(4902, WALLET_ERRORS.unknownChain(wanted).message);
      if (next === state.chainId) return ok(null);
      state.chainId = next;
      return ok(null, [['chainChanged', hex(next)]]);
    },
    wallet_addEthereumChain(params) {
      const p = params?.[0];
      const valid = p && typeof p.chainId === 'string' && QUANTITY.test(p.chainId) && typeof p.chainName === 'string'
        && Array.isArray(p.rpcUrls) && p.rpcUrls.length > 0 && p.nativeCurrency && typeof p.nativeCurrency.symbol === 'string'
        && Number.isInteger(p.nativeCurrency.decimals);
      if (!valid) return err(-32602, `Invalid parameters for wallet_addEthereumChain: ${JSON.stringify(params)}`);
      added.push(clone(p));
      const next = asChainId(p.chainId);
      state.knownChains.add(next);
      if (state.switchOnAdd && next !== state.chainId) {
        state.chainId = next;
        return ok(null, [['chainChanged', hex(next)]]);
      }
      return ok(null);
    },
    async eth_sendTransaction(params) {
      const tx = params?.[0];
      if (!state.connected) return err(4100, WALLET_ERRORS.unauthorized.message);
      if (!tx || typeof tx !== 'object') return err(-32602, 'Invalid parameters: expected [transaction]');
      if (typeof tx.from !== 'string') return err(-32602, 'Invalid parameters: must provide an Ethereum address.');
      if (tx.from.toLowerCase() !== address.toLowerCase()) return err(4100, WALLET_ERRORS.unauthorized.message);
      if (tx.chainId !== undefined && asChainId(tx.chainId) !== state.chainId) {
        return err(-32602, `Invalid parameters: chainId ${tx.chainId} does not match the wallet's chain ${hex(state.chainId)}`);
      }
      if (state.chainId !== asChainId(chain.chainId)) {
        return err(4901, `Test Wallet: it is on chain ${hex(state.chainId)}, which has no node here (the node is ${hex(chain.chainId)})`);
      }
      if (state.insufficientFunds) return err(-32000, WALLET_ERRORS.insufficientFunds(address.toLowerCase()).message);
      let value = BigInt(tx.value ?? 0);
      let data = tx.data ?? tx.input ?? '0x';
      if (state.alterValue !== undefined) {
        const alter = (n) => BigInt(typeof state.alterValue === 'function' ? state.alterValue(n) : state.alterValue);
        if (/^0xa9059cbb[0-9a-f]{128}$/i.test(data)) {
          const amount = alter(BigInt('0x' + data.slice(74)));
          data = data.slice(0, 74) + amount.toString(16).padStart(64, '0');
        } else value = alter(value);
      }
      const out = { to: tx.to, value, data, ...(tx.gas !== undefined ? { gas: tx.gas } : {}) };
      const hash = await sendTransaction(chain, account.privateKey, out);
      sent.push({ hash, asked: clone(tx), tx: out });
      return ok(hash);
    },
  };

  const handle = async (msg) => {
    const { method, params } = msg;
    requests.push({ method, params: clone(params) });
    if (state.gone) return err(4900, WALLET_ERRORS.disconnected.message);
    if (state.delay[method]) await new Promise((r) => setTimeout(r, state.delay[method]));
    if (state.all || state.hang.has(method)) return { hang: true };
    const rejection = state.reject[method];
    if (rejection) {
      if (rejection.once) delete state.reject[method];
      const { code, message, data } = rejection;
      return err(code, message ?? `Test Wallet rejected ${method}`, data);
    }
    try {
      if (methods[method]) return await methods[method](params);
      if (PASSTHROUGH.has(method)) return ok(await chain.rpc(method, params ?? []));
      return err(4200, `The Provider does not support the requested method: ${method}`);
    } catch (e) {
      return err(e.code ?? -32603, e.rpcError?.message ?? e.message, e.data);
    }
  };

  const binding = `__payformTestWallet_${key}`;
  const control = `__payformTestWalletControl_${key}`;
  await page.exposeBinding(binding, (_source, msg) => handle(msg));
  await page.addInitScript(pageWallet, {
    binding, control, info, announce: opts.announce ?? true, legacy: opts.legacy ?? false,
  });
  const wallet = {
    info,
    address,
    privateKey: account.privateKey,
    /** Every request so far, `{method, params}`, in order (copies). */
    requests: () => requests.map(clone),
    /** The transactions actually sent: `{hash, asked (the page's params), tx ({to, value, data}) }`. */
    sent: () => sent.map((s) => ({ ...s })),
    /** The params of each accepted wallet_addEthereumChain. */
    added: () => added.map(clone),
    /** The wallet's current chain id (a number). */
    chainId: () => state.chainId,
    set,
    /** Emits an EIP-1193 event on the provider in every frame of the page. */
    emit: emitInPage,
    /** The wallet goes away: every request answers 4900, it stops announcing, it leaves
     * window.ethereum and emits `disconnect` (in the documents already loaded). */
    disappear: async () => {
      state.gone = true;
      await Promise.all(page.frames().map((f) => f.evaluate((c) => window[c]?.disappear(), control).catch(() => {})));
    },
  };
  if (opts) {
    const { reject, error, hang, delay, knownChains, alterValue, insufficientFunds } = opts;
    set(Object.fromEntries(Object.entries({ reject, error, hang, delay, knownChains, alterValue, insufficientFunds })
      .filter(([, v]) => v !== undefined)));
  }
  return wallet;
}
