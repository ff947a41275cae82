/** Framework truth matrix, php-ini variants (table: test/frameworks/matrix.ts, suite: test/frameworks/suite.ts). */
import { matrixSuite } from './suite.js';

matrixSuite('php-ini');
