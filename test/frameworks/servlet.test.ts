/** Framework truth matrix, Java servlet variants on Jetty 9.4 (table: test/frameworks/matrix.ts, suite: test/frameworks/suite.ts). */
import { matrixSuite } from './suite.js';

matrixSuite('servlet');
