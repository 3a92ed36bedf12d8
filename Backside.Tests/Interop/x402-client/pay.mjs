// Pays one request to a running Backside with the official x402 client (@x402/fetch) and prints what came back
// as one JSON line: { status, body, receipt, paid }.
// Usage: node pay.mjs <url> <private key 0x…> <x402 version 1|2>
import { wrapFetchWithPaymentFromConfig, decodePaymentResponseHeader } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { ExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import { privateKeyToAccount } from "viem/accounts";

const [url, privateKey, version] = process.argv.slice(2);
const account = privateKeyToAccount(privateKey);
let paid = null;

// The client prefers the v2 PAYMENT-REQUIRED header. For version 1, hide it, so the client reads the v1 body as it
// would from a v1-only server, and pays with X-PAYMENT.
async function transport(input, init) {
  const request = new Request(input, init);
  paid ??= request.headers.get("PAYMENT-SIGNATURE") ? 2 : request.headers.get("X-PAYMENT") ? 1 : null;
  const response = await fetch(request);
  if (version !== "1" || response.status !== 402) return response;
  const headers = new Headers(response.headers);
  headers.delete("PAYMENT-REQUIRED");
  return new Response(await response.text(), { status: response.status, headers });
}

const pay = wrapFetchWithPaymentFromConfig(transport, {
  schemes: [
    { network: "eip155:*", client: new ExactEvmScheme(account) },
    { network: "base-sepolia", client: new ExactEvmSchemeV1(account), x402Version: 1 },
    { network: "base", client: new ExactEvmSchemeV1(account), x402Version: 1 },
  ],
});

const response = await pay(url, { method: "GET" });
const receipt = response.headers.get("PAYMENT-RESPONSE") ?? response.headers.get("X-PAYMENT-RESPONSE");
console.log(JSON.stringify({
  status: response.status,
  body: await response.text(),
  receipt: receipt ? decodePaymentResponseHeader(receipt) : null,
  paid,
}));
