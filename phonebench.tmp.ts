import { fromViciPhone, toViciPhone } from "./src/services/phone";
const N = 200000;
const nums: string[] = [];
for (let i = 0; i < N; i++) nums.push(String(2000000000 + ((i * 7919) % 7999999999)).slice(0, 10).replace(/^[01]/, "7"));
for (let k = 0; k < 2; k++) {
let t = process.hrtime.bigint();
let ok = 0;
for (const n of nums) if (fromViciPhone("1", n, "US")) ok++;
console.log("fromViciPhone us/call", Number(process.hrtime.bigint() - t) / N / 1000, "ok", ok);
}
