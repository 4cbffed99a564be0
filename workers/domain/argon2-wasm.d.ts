// The argon2 WebAssembly build of @phi-ag/argon2. wrangler bundles a .wasm import as a compiled module
// (Workers refuse to compile WebAssembly from bytes at run time). Declared here as well as by the
// Worker's `*.wasm` rule because the Node scripts type-check password.ts too.
declare module "@phi-ag/argon2/argon2.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
