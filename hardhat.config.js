// Hardhat compiles the contracts and runs `hardhat node` as the local chain.
// This machine cannot download compilers, so the solc-js from npm is used instead.
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");

const SOLC_VERSION = require("solc/package.json").version;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args, hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "prague", // py-evm (eth-tester) stops at Prague
      optimizer: { enabled: true, runs: 10000 },
    },
  },
  networks: {
    hardhat: { chainId: 31337, hardfork: "prague" },
  },
};
