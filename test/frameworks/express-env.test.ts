/** Framework truth matrix, express-env variants (table: test/frameworks/matrix.ts, suite: test/frameworks/suite.ts). */
import { matrixSuite } from './suite.js';

matrixSuite('express-env');
