export { contractTestFiles, restoreContractTests, CONTRACT_DIR } from './contract-tests.js';
