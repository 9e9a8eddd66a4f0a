// ECharts through echarts/core with only the parts the dashboard draws (tree-shaken): line and bar charts,
// grid, tooltip, legend, on canvas. A chart that needs another part registers it here.

import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type { EChartsCoreOption as ChartOption } from 'echarts/core';
export { echarts };
