"""Writes fixtures/packs/planar/*.json: the week-3 notebooks' printed values ("Expected Output" cells) and
public_tests.py's literals, each case with the generator of its inputs (the course's testCases*.py seeds).
The expected texts are transcribed from the notebooks; nothing here is computed.
Run: python3 scripts/planar-packs.py"""
import json, os

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'packs', 'planar')

W1 = [[-0.00416758, -0.00056267], [-0.02136196, 0.01640271], [-0.01793436, -0.00841747], [0.00502881, -0.01245288]]
W2 = [[-0.01057952, -0.00909008, 0.00551454, 0.02292208]]
ZEROS4 = [[0.0], [0.0], [0.0], [0.0]]
UP_PARAMS = {'W1': [[-0.00615039, 0.0169021], [-0.02311792, 0.03137121], [-0.0169217, -0.01752545], [0.00935436, -0.05018221]],
             'W2': [[-0.0104319, -0.04019007, 0.01607211, 0.04440255]],
             'b1': [[-8.97523455e-07], [8.15562092e-06], [6.04810633e-07], [-2.54560700e-06]],
             'b2': [[9.14954378e-05]]}
UP_GRADS = {'dW1': [[0.00023322, -0.00205423], [0.00082222, -0.00700776], [-0.00031831, 0.0028636], [-0.00092857, 0.00809933]],
            'dW2': [[-1.75740039e-05, 3.70231337e-03, -1.25683095e-03, -2.55715317e-03]],
            'db1': [[1.05570087e-07], [-3.81814487e-06], [-1.90155145e-07], [5.46467802e-07]],
            'db2': [[-1.08923140e-05]]}
CACHE = {'A1': [[-0.00616578, 0.0020626, 0.00349619], [-0.05225116, 0.02725659, -0.02646251], [-0.02009721, 0.0036869, 0.02883756], [0.02152675, -0.01385234, 0.02599885]],
         'A2': [[0.5002307, 0.49985831, 0.50023963]],
         'Z1': [[-0.00616586, 0.0020626, 0.0034962], [-0.05229879, 0.02726335, -0.02646869], [-0.02009991, 0.00368692, 0.02884556], [0.02153007, -0.01385322, 0.02600471]],
         'Z2': [[0.00092281, -0.00056678, 0.00095853]]}
A2_3 = [[0.5002307, 0.49985831, 0.50023963]]


def lets(prefix, d):
    return [{'let': f'{prefix}{k}', 'value': v} for k, v in d.items()]


def ref(prefix, d):
    return {'dict': {k: f'${prefix}{k}' for k in d}}


def out(key, expected, name=None, fmt=None, reduce=None):
    o = {'select': key if isinstance(key, list) else [key], 'expected': expected}
    if name: o['name'] = name
    if fmt: o['format'] = fmt
    if reduce: o['reduce'] = reduce
    return o


def layer_sizes_case():
    return {'id': 'layer_sizes', 'function': 'layer_sizes',
            'setup': [{'seed': 1}, {'randn': 'X', 'shape': [5, 3]}, {'randn': 'Y', 'shape': [2, 3]}],
            'args': ['$X', '$Y'],
            'outputs': [out([0], '5', 'n_x', 'repr'), out([1], '4', 'n_h', 'repr'), out([2], '2', 'n_y', 'repr')]}


def init_case(prints):
    # the older notebooks' initialize_parameters seeds 2 itself; W3A1's test seeds 2 before the call: seeding the
    # engine first gives both conventions the printed values
    return {'id': 'initialize_parameters', 'function': 'initialize_parameters', 'setup': [], 'args': [2, 4, 1],
            'engine_seed': 2, 'outputs': [out(k, v, k) for k, v in zip(['W1', 'b1', 'W2', 'b2'], prints)]}


def params_lets(b1, b2):
    return [{'let': 'W1', 'value': W1}, {'let': 'W2', 'value': W2}, {'let': 'b1', 'value': b1}, {'let': 'b2', 'value': b2}]


PARAMS = {'dict': {'W1': '$W1', 'W2': '$W2', 'b1': '$b1', 'b2': '$b2'}}


def update_case(prints):
    return {'id': 'update_parameters', 'function': 'update_parameters',
            'setup': lets('p', UP_PARAMS) + lets('g', UP_GRADS), 'args': [ref('p', UP_PARAMS), ref('g', UP_GRADS)],
            'outputs': [out(k, v, k) for k, v in zip(['W1', 'b1', 'W2', 'b2'], prints)]}


def backward_case(y_gt, prints):
    y = {'randn': 'Y', 'shape': [1, 3]}
    if y_gt: y['gt'] = 0
    return {'id': 'backward_propagation', 'function': 'backward_propagation',
            'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}, y] + params_lets(ZEROS4, [[0.0]]) + lets('c', CACHE),
            'args': [PARAMS, ref('c', CACHE), '$X', '$Y'],
            'outputs': [out(k, v, k) for k, v in zip(['dW1', 'db1', 'dW2', 'db2'], prints)]}


def predict_case(outputs):
    return {'id': 'predict', 'function': 'predict',
            'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}] + lets('p', UP_PARAMS),
            'args': [ref('p', UP_PARAMS), '$X'], 'outputs': outputs}


OLD_INIT = ['[[-0.00416758 -0.00056267]\n [-0.02136196  0.01640271]\n [-0.01793436 -0.00841747]\n [ 0.00502881 -0.01245288]]',
            '[[ 0.]\n [ 0.]\n [ 0.]\n [ 0.]]', '[[-0.01057952 -0.00909008  0.00551454  0.02292208]]', '[[ 0.]]']
NEW_INIT = [OLD_INIT[0], '[[0.]\n [0.]\n [0.]\n [0.]]', OLD_INIT[2], '[[0.]]']
OLD_UPDATE = ['[[-0.00643025  0.01936718]\n [-0.02410458  0.03978052]\n [-0.01653973 -0.02096177]\n [ 0.01046864 -0.05990141]]',
              '[[ -1.02420756e-06]\n [  1.27373948e-05]\n [  8.32996807e-07]\n [ -3.20136836e-06]]',
              '[[-0.01041081 -0.04463285  0.01758031  0.04747113]]', '[[ 0.00010457]]']
NEW_UPDATE = [OLD_UPDATE[0], '[[-1.02420756e-06]\n [ 1.27373948e-05]\n [ 8.32996807e-07]\n [-3.20136836e-06]]', OLD_UPDATE[2], '[[0.00010457]]']
V2_BACK = ['[[ 0.00301023 -0.00747267]\n [ 0.00257968 -0.00641288]\n [-0.00156892  0.003893  ]\n [-0.00652037  0.01618243]]',
           '[[ 0.00176201]\n [ 0.00150995]\n [-0.00091736]\n [-0.00381422]]', '[[ 0.00078841  0.01765429 -0.00084166 -0.01022527]]']

packs = {}

packs['v3-en'] = {
    'format': 'dnn-verify/fixture-pack@1', 'name': 'planar-v3-en', 'assignment': 'planar',
    'title': 'Planar data classification with one hidden layer (v1-v3 notebooks, testCases.py)',
    'source': 'the Expected Output tables of "Planar data classification with one hidden layer v3.ipynb" (testCases.py; the same in the unnumbered 2017 notebook), as in github.com/WxxShirley/DeepLearning-AndrewNg@585d76f1d0b1974be50d60b160f3ed20e21b1df7 (C1/PA-week3)',
    'known_issues': [
        "testCases.py draws Y with np.random.randn (real numbers, not labels): compute_cost's log terms and the gradients are computed on them as the notebook does.",
        'nn_model on nn_model_test_case (Y real, 10000 iterations) prints W1 = [[-4.18494056 5.33220609] ...], W2 = [[-6033.83672146 -6008.12980822 -6033.10095287 6008.06637269]], b2 = [[-52.66607724]]: the run diverges (sigmoid saturates, W2 grows to 6000), so its last digits depend on the machine; NumPy 1.x/2.x today prints W2[0,0] = -6033.8235. Not checked; the v4-v6c case (labels for Y) is.',
        'The notebook printed np.mean of each cache entry (Python 2, 12 significant digits): compared at that precision.'],
    'cases': [
        layer_sizes_case(),
        init_case(OLD_INIT),
        {'id': 'forward_propagation', 'function': 'forward_propagation',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}] + params_lets(ZEROS4, [[0.0]]),
         'args': ['$X', PARAMS],
         'outputs': [out([1, 'Z1'], '-0.000499755777742', 'mean(Z1)', 'repr', 'mean'),
                     out([1, 'A1'], '-0.000496963353232', 'mean(A1)', 'repr', 'mean'),
                     out([1, 'Z2'], '0.000438187450959', 'mean(Z2)', 'repr', 'mean'),
                     out([1, 'A2'], '0.500109546852', 'mean(A2)', 'repr', 'mean')]},
        {'id': 'compute_cost', 'function': 'compute_cost',
         'setup': [{'seed': 1}, {'randn': 'Y', 'shape': [1, 3]}, {'let': 'A2', 'value': A2_3}] + params_lets(ZEROS4, [[0.0]]),
         'args': ['$A2', '$Y', PARAMS], 'outputs': [out([], '0.692919893776', 'cost', 'repr')]},
        backward_case(False, ['[[ 0.01018708 -0.00708701]\n [ 0.00873447 -0.0060768 ]\n [-0.00530847  0.00369379]\n [-0.02206365  0.01535126]]',
                              '[[-0.00069728]\n [-0.00060606]\n [ 0.000364  ]\n [ 0.00151207]]',
                              '[[ 0.00363613  0.03153604  0.01162914 -0.01318316]]', '[[ 0.06589489]]']),
        update_case(OLD_UPDATE),
        predict_case([out([], '0.666666666667', 'predictions mean', 'repr', 'mean')]),
    ]}

packs['v4-v6c-en'] = {
    'format': 'dnn-verify/fixture-pack@1', 'name': 'planar-v4-v6c-en', 'assignment': 'planar',
    'title': 'Planar data classification with one hidden layer (v4-v6c notebooks, testCases_v2.py)',
    'source': 'the Expected Output tables of Planar_data_classification_with_onehidden_layer_v6c.ipynb (identical in v4, v5, v6b and the unnumbered v4+ notebook), testCases_v2.py as in github.com/Adricampi/RedesNeuronales@7f34e0fd57154831479a7b88a4b5c21164f9babb (Semana3)',
    'known_issues': [
        "nn_model seeds 3 and initialize_parameters seeds 2 in these versions: W3A1 engines (whose initialize_parameters draws from nn_model's seed 3) skip the nn_model case and are held to public_tests.py's.",
        'nn_model prints "cost after iteration 0: 0.692739" (print_cost=True); prints of an engine are not read, its returned parameters are.'],
    'cases': [
        layer_sizes_case(),
        init_case(OLD_INIT),
        {'id': 'forward_propagation', 'function': 'forward_propagation',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}, {'randn': 'b1', 'shape': [4, 1]}, {'let': 'W1', 'value': W1}, {'let': 'W2', 'value': W2}, {'let': 'b2', 'value': [[-1.3]]}],
         'args': ['$X', PARAMS],
         'outputs': [out([1, 'Z1'], '0.262818640198', 'mean(Z1)', 'repr', 'mean'),
                     out([1, 'A1'], '0.091999045227', 'mean(A1)', 'repr', 'mean'),
                     out([1, 'Z2'], '-1.30766601287', 'mean(Z2)', 'repr', 'mean'),
                     out([1, 'A2'], '0.212877681719', 'mean(A2)', 'repr', 'mean')]},
        {'id': 'compute_cost', 'function': 'compute_cost',
         'setup': [{'seed': 1}, {'randn': 'Y', 'shape': [1, 3], 'gt': 0}, {'let': 'A2', 'value': A2_3}] + params_lets(ZEROS4, [[0.0]]),
         'args': ['$A2', '$Y', PARAMS], 'outputs': [out([], '0.693058761', 'cost', 'repr')]},
        backward_case(True, V2_BACK + ['[[-0.16655712]]']),
        update_case(OLD_UPDATE),
        {'id': 'nn_model', 'function': 'nn_model', 'variant': 'older',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}, {'randn': 'Y', 'shape': [1, 3], 'gt': 0}],
         'args': ['$X', '$Y', 4], 'kwargs': {'num_iterations': 10000, 'print_cost': False},
         'outputs': [out('W1', '[[-0.65848169  1.21866811]\n [-0.76204273  1.39377573]\n [ 0.5792005  -1.10397703]\n [ 0.76773391 -1.41477129]]', 'W1'),
                     out('b1', '[[ 0.287592  ]\n [ 0.3511264 ]\n [-0.2431246 ]\n [-0.35772805]]', 'b1'),
                     out('W2', '[[-2.45566237 -3.27042274  2.00784958  3.36773273]]', 'W2'),
                     out('b2', '[[ 0.20459656]]', 'b2')]},
        predict_case([out([], '0.666666666667', 'predictions mean', 'repr', 'mean')]),
    ]}

packs['w3a1-en'] = {
    'format': 'dnn-verify/fixture-pack@1', 'name': 'planar-w3a1-en', 'assignment': 'planar',
    'title': 'Planar data classification with one hidden layer (W3A1 notebook, testCases_v2.py)',
    'source': 'the Expected output cells of Planar_data_classification_with_one_hidden_layer.ipynb (W3A1), testCases_v2.py as in github.com/AREEG94FAHAD/planar_data@41716135e11d8953486291f2cc707ae95ca04ff2',
    'known_issues': [
        'predict prints "Predictions: [[ True False  True]]" (booleans); booleans cross the protocol as 1./0., so the print is compared as [[1 0 1]].',
        "nn_model's cell runs public_tests.nn_model_test, whose printed costs (0.693198 at iteration 0) come from a call under the generator's state left by earlier cells; its checked values are in the public-tests pack."],
    'cases': [
        layer_sizes_case(),
        init_case(NEW_INIT),
        {'id': 'forward_propagation', 'function': 'forward_propagation',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}, {'randn': 'b1', 'shape': [4, 1]}, {'let': 'W1', 'value': W1}, {'let': 'W2', 'value': W2}, {'let': 'b2', 'value': [[-1.3]]}],
         'args': ['$X', PARAMS], 'outputs': [out([0], '[[0.21292656 0.21274673 0.21295976]]', 'A2')]},
        {'id': 'compute_cost', 'function': 'compute_cost',
         'setup': [{'seed': 1}, {'randn': 'Y', 'shape': [1, 3], 'gt': 0}, {'let': 'A2', 'value': A2_3}],
         'args': ['$A2', '$Y'], 'outputs': [out([], '0.6930587610394646', 'cost', 'repr')]},
        backward_case(True, V2_BACK + ['[[-0.16655712]]']),
        update_case(NEW_UPDATE),
        predict_case([out([], '[[1 0 1]]', 'predictions')]),
    ]}

pt = 'public_tests.py of the W3A1 notebook, as in github.com/greyhatguy007/deep-learning-specialization@dcc0454449e8c0bc0d7aa63dbf640b4a138c3c6b (C1-NeuralNetworksAndDeepLearning/week3/W3A1); the second compute_cost case from its later revision (AREEG94FAHAD/planar_data@41716135e11d8953486291f2cc707ae95ca04ff2)'
packs['w3a1-public-tests'] = {
    'format': 'dnn-verify/fixture-pack@1', 'name': 'planar-w3a1-public-tests', 'assignment': 'planar',
    'title': 'Planar data classification with one hidden layer (W3A1, public_tests.py)', 'source': pt,
    'known_issues': ['public_tests.py compares with np.allclose; these values are compared at their written precision (8 decimals), which is stricter.',
                     "nn_model_test seeds the caller's generator with 3 (W3A1's convention): engines of the older versions, which seed inside, skip that case."],
    'cases': [
        {'id': 'layer_sizes', 'function': 'layer_sizes',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [5, 3]}, {'randn': 'Y', 'shape': [2, 3]}],
         'args': ['$X', '$Y'], 'outputs': [out([0], '5', 'n_x', 'repr'), out([1], '4', 'n_h', 'repr'), out([2], '2', 'n_y', 'repr')]},
        {'id': 'layer_sizes#2', 'function': 'layer_sizes',
         'setup': [{'seed': 1}, {'randn': 'X0', 'shape': [5, 3]}, {'randn': 'Y0', 'shape': [2, 3]}, {'randn': 'X', 'shape': [7, 5]}, {'randn': 'Y', 'shape': [5, 5]}],
         'args': ['$X', '$Y'], 'outputs': [out([0], '7', 'n_x', 'repr'), out([1], '4', 'n_h', 'repr'), out([2], '5', 'n_y', 'repr')]},
        {'id': 'initialize_parameters', 'function': 'initialize_parameters', 'setup': [], 'args': [3, 5, 2], 'engine_seed': 2,
         'outputs': [out('W1', '[[-0.00416758, -0.00056267, -0.02136196],\n [ 0.01640271, -0.01793436, -0.00841747],\n [ 0.00502881, -0.01245288, -0.01057952],\n [-0.00909008,  0.00551454,  0.02292208],\n [ 0.00041539, -0.01117925,  0.00539058]]', 'W1'),
                     out('b1', '[[0.], [0.], [0.], [0.], [0.]]', 'b1'),
                     out('W2', '[[-5.96159700e-03, -1.91304965e-04,  1.17500122e-02,\n -7.47870949e-03,  9.02525097e-05],\n [-8.78107893e-03, -1.56434170e-03,  2.56570452e-03,\n -9.88779049e-03, -3.38821966e-03]]', 'W2'),
                     out('b2', '[[0.], [0.]]', 'b2')]},
        {'id': 'forward_propagation', 'function': 'forward_propagation',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}, {'randn': 'b1', 'shape': [4, 1]}, {'let': 'W1', 'value': W1}, {'let': 'W2', 'value': W2}, {'let': 'b2', 'value': [[-1.3]]}],
         'args': ['$X', PARAMS],
         'outputs': [out([0], '[[0.21292656, 0.21274673, 0.21295976]]', 'A2'),
                     out([1, 'Z1'], '[[ 1.7386459 ,  1.74687437,  1.74830797],\n [-0.81350569, -0.73394355, -0.78767559],\n [ 0.29893918,  0.32272601,  0.34788465],\n [-0.2278403 , -0.2632236 , -0.22336567]]', 'Z1'),
                     out([1, 'A1'], '[[ 0.9400694 ,  0.94101876,  0.94118266],\n [-0.67151964, -0.62547205, -0.65709025],\n [ 0.29034152,  0.31196971,  0.33449821],\n [-0.22397799, -0.25730819, -0.2197236 ]]', 'A1'),
                     out([1, 'Z2'], '[[-1.30737426, -1.30844761, -1.30717618]]', 'Z2')]},
        {'id': 'compute_cost', 'function': 'compute_cost',
         'setup': [{'seed': 1}, {'randn': 'Y', 'shape': [1, 5], 'gt': 0}, {'let': 'A2', 'value': [[0.5002307, 0.49985831, 0.50023963, 0.25, 0.7]]}],
         'args': ['$A2', '$Y'], 'outputs': [out([], '0.5447066599017815', 'cost', 'repr')]},
        {'id': 'compute_cost#2', 'function': 'compute_cost',
         'setup': [{'let': 'A3', 'value': [0.7, 0.3, 0.8, 0.9, 0.9]}, {'let': 'Y', 'value': [[1, 0, 1, 1, 1]]}],
         'args': ['$A3', '$Y'], 'outputs': [out([], '0.22944289410146546', 'cost', 'repr')]},
        {'id': 'backward_propagation', 'function': 'backward_propagation',
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [3, 7]}, {'randn': 'Y', 'shape': [1, 7], 'gt': 0},
                   {'randn': 'W1', 'shape': [9, 3]}, {'randn': 'W2', 'shape': [1, 9]},
                   {'let': 'b1', 'value': [[0.0]] * 9}, {'let': 'b2', 'value': [[0.0]]},
                   {'randn': 'cA1', 'shape': [9, 7]}, {'randn': 'cA2', 'shape': [1, 7]}, {'randn': 'cZ1', 'shape': [9, 7]}, {'randn': 'cZ2', 'shape': [1, 7]}],
         'args': [PARAMS, {'dict': {'A1': '$cA1', 'A2': '$cA2', 'Z1': '$cZ1', 'Z2': '$cZ2'}}, '$X', '$Y'],
         'outputs': [out('dW1', '[[-0.24468458, -0.24371232,  0.15959609],\n [ 0.7370069 , -0.64785999,  0.23669823],\n [ 0.47936123, -0.01516428,  0.01566728],\n [ 0.03361075, -0.0930929 ,  0.05581073],\n [ 0.52445178, -0.03895358,  0.09180612],\n [-0.17043596,  0.13406378, -0.20952062],\n [ 0.76144791, -0.41766018,  0.02544078],\n [ 0.22164791, -0.33081645,  0.19526915],\n [ 0.25619969, -0.09561825,  0.05679075]]', 'dW1'),
                     out('db1', '[[ 0.1463639 ],\n [-0.33647992],\n [-0.51738006],\n [-0.07780329],\n [-0.57889514],\n [ 0.28357278],\n [-0.39756864],\n [-0.10510329],\n [-0.13443244]]', 'db1'),
                     out('dW2', '[[-0.35768529,  0.22046323, -0.29551566, -0.12202786,  0.18809552,\n 0.13700323,  0.35892872, -0.02220353, -0.03976687]]', 'dW2'),
                     out('db2', '[[-0.78032466]]', 'db2')]},
        {'id': 'update_parameters', 'function': 'update_parameters',
         'setup': lets('p', UP_PARAMS) + lets('g', UP_GRADS), 'args': [ref('p', UP_PARAMS), ref('g', UP_GRADS)],
         'outputs': [out('W1', '[[-0.00643025,  0.01936718],\n [-0.02410458,  0.03978052],\n [-0.01653973, -0.02096177],\n [ 0.01046864, -0.05990141]]', 'W1'),
                     out('b1', '[[-1.02420756e-06],\n [ 1.27373948e-05],\n [ 8.32996807e-07],\n [-3.20136836e-06]]', 'b1'),
                     out('W2', '[[-0.01041081, -0.04463285,  0.01758031,  0.04747113]]', 'W2'),
                     out('b2', '[[0.00010457]]', 'b2')]},
        {'id': 'nn_model', 'function': 'nn_model', 'variant': 'W3A1', 'engine_seed': 3,
         'setup': [{'seed': 1}, {'randn': 'X', 'shape': [2, 3]}, {'randn': 'Y', 'shape': [1, 3], 'gt': 0}],
         'args': ['$X', '$Y', 4], 'kwargs': {'num_iterations': 10000, 'print_cost': False},
         'outputs': [out('W1', '[[ 0.56305445, -1.03925886],\n [ 0.7345426 , -1.36286875],\n [-0.72533346,  1.33753027],\n [ 0.74757629, -1.38274074]]', 'W1'),
                     out('b1', '[[-0.22240654],\n [-0.34662093],\n [ 0.33663708],\n [-0.35296113]]', 'b1'),
                     out('W2', '[[ 1.82196893,  3.09657075, -2.98193564,  3.19946508]]', 'W2'),
                     out('b2', '[[0.21344644]]', 'b2')]},
        predict_case([out([], '[[1, 0, 1]]', 'predictions', None)]),
    ]}

for name, pack in packs.items():
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(pack, f, indent=1, ensure_ascii=False)
        f.write('\n')
print('wrote', ', '.join(packs))
