import './worldbank.ts';
import './weather.ts';
import './wikimedia.ts';
import './github.ts';
import './openaq.ts';
import './usgs.ts';
import './spacex.ts';
import { report } from './common.ts';
report();
