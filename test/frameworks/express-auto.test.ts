/** Framework truth matrix, express-auto variants (table: test/frameworks/matrix.ts, suite: test/frameworks/suite.ts). */
import { matrixSuite } from './suite.js';

matrixSuite('express-auto');
