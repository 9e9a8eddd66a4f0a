// ECharts through echarts/core with only the parts the dashboard draws (tree-shaken): line charts, grid,
// tooltip, legend, on canvas. A chart that needs another part registers it here.

import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
